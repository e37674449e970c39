from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from traad.audit.models import AppendOnlyError, AuditEvent
from traad.audit.selectors import search_events
from traad.audit.services import MASK, diff_values, record_event

pytestmark = pytest.mark.django_db


def test_record_event_masks_sensitive_values(world):
    event = record_event(
        actor=world.coordinator,
        action="person.changed",
        obj=world.case,
        case_id=world.case.pk,
        person_id=42,
        changes={"cpr": ["0101901234", "0202901234"], "name": ["A", "B"], "password": "x"},
    )
    event.refresh_from_db()
    assert event.changes == {"cpr": MASK, "name": ["A", "B"], "password": MASK}
    assert event.actor == world.coordinator
    assert event.actor_label == "koordinator@traad.example"
    assert (event.case_id, event.person_id, event.object_type) == (world.case.pk, 42, "cases.case")


def test_diff_values_lists_changed_keys_only_and_masks():
    assert diff_values(
        {"a": 1, "b": "x", "cpr_number": "1"}, {"a": 2, "b": "x", "cpr_number": "2"}
    ) == {"a": [1, 2], "cpr_number": [MASK, MASK]}


def test_system_events_have_no_actor():
    event = record_event(actor=None, action="job.ran")
    assert event.actor is None
    assert event.actor_label == "system"


def test_model_refuses_update_and_delete(world):
    event = record_event(actor=world.leader, action="case.viewed")
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL")
def test_postgres_trigger_refuses_update_and_delete(world):
    event = record_event(actor=world.leader, action="case.viewed")
    for statement in (
        "UPDATE audit_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    # Bulk paths through the ORM are refused too.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    event.refresh_from_db()
    assert event.action == "case.viewed"


def test_search_filters(world):
    with_case = record_event(actor=world.coordinator, action="case.viewed", case_id=7)
    record_event(actor=world.consultant, action="case.viewed", case_id=8, person_id=3)
    record_event(actor=world.consultant, action="auth.login")
    assert list(search_events(case_id=7)) == [with_case]
    assert search_events(actor=world.consultant).count() == 2
    assert search_events(person_id=3).get().case_id == 8
    assert search_events(action="auth.").count() == 1
    today = timezone.localdate()
    assert search_events(date_from=today, date_to=today).count() == 3
    assert search_events(date_to=today - dt.timedelta(days=1)).count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("leader", 200),
        ("admin", 200),
        ("coordinator", 404),
        ("consultant", 404),
        ("intake", 404),
        ("caseworker", 404),
    ],
)
def test_search_page_access(world, client_for, persona, status):
    user = world.personas()[persona]
    response = client_for(user).get(reverse("audit:search"), {"case_id": world.case.pk})
    assert response.status_code == status
    searched = AuditEvent.objects.filter(action="audit.searched", actor=user)
    assert searched.count() == (1 if status == 200 else 0)


def test_search_page_shows_matching_events_and_logs_the_search(world, client_for):
    record_event(actor=world.consultant, action="case.viewed", case_id=world.case.pk)
    record_event(actor=world.consultant, action="case.viewed", case_id=999)
    response = client_for(world.leader).get(
        reverse("audit:search"), {"case_id": world.case.pk, "actor": world.consultant.pk}
    )
    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.case_id for e in events] == [world.case.pk]
    searched = AuditEvent.objects.get(action="audit.searched")
    assert searched.changes == {
        "actor": str(world.consultant),
        "case_id": str(world.case.pk),
    }


def test_search_rejects_reversed_period_in_danish(world, client_for):
    response = client_for(world.leader).get(
        reverse("audit:search"), {"date_from": "2026-11-23", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Fra-datoen skal" in response.content.decode()


def test_search_by_cpr_finds_the_persons_events(world, client_for):
    from traad.cases.models import PersonRole, Relation
    from traad.cases.services import add_person_to_case

    membership, _ = add_person_to_case(
        world.case,
        by=world.coordinator,
        name="Emma Jensen",
        cpr="0503164321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    person = membership.person
    record_event(actor=world.consultant, action="case.viewed", case_id=world.case.pk)
    response = client_for(world.leader).get(reverse("audit:search"), {"cpr": "050316-4321"})
    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.action for e in events] == ["case.person_added"]
    assert events[0].person_id == person.pk
    searched = AuditEvent.objects.get(action="audit.searched")
    assert searched.person_id == person.pk
    assert searched.changes["cpr"] == MASK
    assert "0503164321" not in str(searched.changes)


def test_search_by_unknown_cpr_says_so(world, client_for):
    response = client_for(world.leader).get(reverse("audit:search"), {"cpr": "0101901234"})
    assert response.context["page"] is None
    assert response.context["form"].errors["cpr"]
