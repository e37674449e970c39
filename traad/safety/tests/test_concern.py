"""The concern level, the leader's mail on a raise, the start pages, notifications of concern
(underretninger) with their receipt deadline, the reminder job, and the screens' access."""

from __future__ import annotations

import datetime as dt
import random
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from traad.accounts.models import Role
from traad.audit.models import AuditEvent
from traad.cases.models import CasePerson, CaseStatus, Person
from traad.core.demo_safety_concern import add_demo_concern
from traad.factories import CaseFactory, UserFactory, municipality
from traad.safety.models import ConcernAssessment, ConcernLevel, Notification
from traad.safety.selectors.concern import (
    concern_history,
    concern_panel,
    current_concern,
    raised_concern_cases_for,
)
from traad.safety.services.concern import (
    receipt_due_on,
    record_notification,
    register_receipt,
    set_concern_level,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
BASE = "https://traad.example.dk"
CHILD_NAME = "Emma Testbarnsen"
CHILD_CPR = "0101151234"
REASON = "Barnet fortæller om slag derhjemme efter skoletid"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)  # type: ignore[misc]


@pytest.fixture
def case(world):
    child = Person.objects.create(name=CHILD_NAME, cpr=CHILD_CPR)
    CasePerson.objects.create(case=world.case, person=child, role="child", relation="child")
    return world.case


def set_level(world, case, level, *, by=None, reason=REASON, **kwargs):
    return set_concern_level(
        case, by=by or world.coordinator, level=level, reason=reason, base_url=BASE, **kwargs
    )


# --- The concern level ----------------------------------------------------------------------


def test_levels_build_a_history_newest_first(world, case):
    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        low = set_level(world, case, ConcernLevel.LOW, reason="Godt samarbejde")
    with time_machine.travel(local(2026, 11, 9, 9), tick=False):
        moderate = set_level(world, case, ConcernLevel.MODERATE, earlier_violence=True)
    with time_machine.travel(local(2026, 11, 16, 9), tick=False):
        high = set_level(world, case, ConcernLevel.HIGH, by=world.consultant)

    assert current_concern(case) == high
    assert list(concern_history(case)) == [high, moderate, low]
    assert [a.set_by for a in concern_history(case)] == [
        world.consultant,
        world.coordinator,
        world.coordinator,
    ]
    events = AuditEvent.objects.filter(action="concern.set", case_id=case.pk).order_by("id")
    assert [e.changes["level"] for e in events] == [
        [None, "low"],
        ["low", "moderate"],
        ["moderate", "high"],
    ]
    assert events[1].changes["earlier_violence"] is True
    assert all(e.object_id == str(a.pk) for e, a in zip(events, [low, moderate, high], strict=True))


def test_a_level_needs_a_reason_and_a_writer(world, case):
    with pytest.raises(ValidationError) as exc, translation.override("da"):
        set_level(world, case, ConcernLevel.HIGH, reason="   ")
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError):
        set_level(world, case, "extreme")
    for user in (world.outsider_consultant, world.other_leader, world.caseworker, world.admin):
        with pytest.raises(PermissionDenied):
            set_level(world, case, ConcernLevel.HIGH, by=user)
    assert not ConcernAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="concern.set").exists()


def test_raising_to_high_mails_the_team_leader_once_with_a_link_only(
    world, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_level(world, case, ConcernLevel.MODERATE)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assessment = set_level(world, case, ConcernLevel.HIGH)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.leader.email]
    link = f"{BASE}/sager/{case.pk}/"
    assert link in message.body
    text = f"{message.subject}\n{message.body}"
    for content in (CHILD_NAME, CHILD_CPR, REASON, case.municipality.name, case.number):
        assert content not in text
    assessment.refresh_from_db()
    assert assessment.leader_notified_at is not None
    event = AuditEvent.objects.get(action="concern.set", object_id=str(assessment.pk))
    assert event.changes["leader_notified"] is True

    # Staying high and lowering send nothing more; the other team's leader never hears.
    with django_capture_on_commit_callbacks(execute=True):
        stays = set_level(world, case, ConcernLevel.HIGH)
        set_level(world, case, ConcernLevel.MODERATE)
    assert len(mail.outbox) == 1
    stays.refresh_from_db()
    assert stays.leader_notified_at is None
    assert all(world.other_leader.email not in m.to for m in mail.outbox)


def test_the_mail_waits_for_the_commit(world, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        set_level(world, case, ConcernLevel.ACUTE)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_first_level_of_acute_and_high_to_acute_notify(
    world, case, django_capture_on_commit_callbacks
):
    second_leader = UserFactory(role=Role.LEADER, team=world.team, email="leder3@traad.example")
    UserFactory(role=Role.LEADER, team=world.team, email="gammel@traad.example", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        set_level(world, case, ConcernLevel.HIGH)
        set_level(world, case, ConcernLevel.ACUTE)
        set_level(world, case, ConcernLevel.HIGH)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.leader.email, second_leader.email] * 2
    )


def test_a_case_without_a_team_notifies_every_leader(world, django_capture_on_commit_callbacks):
    case = CaseFactory(team=None, coordinator=world.coordinator, consultants=[world.consultant])
    with django_capture_on_commit_callbacks(execute=True):
        set_level(world, case, ConcernLevel.HIGH)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.leader.email, world.other_leader.email]
    )


def test_the_mail_is_in_danish(world, case, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        set_level(world, case, ConcernLevel.HIGH)
    with translation.override("da"):
        expected = translation.gettext("See the case in Tråd:")
    assert expected in mail.outbox[0].body


# --- Start pages ----------------------------------------------------------------------------


def raised_ids(client, user):
    response = client.get(reverse("core:start"))
    assert response.status_code == 200
    return [c.pk for c in response.context["concern_cases"]]


@pytest.mark.parametrize("persona", ["leader", "coordinator"])
def test_start_pages_list_cases_while_high_or_acute(world, case, client_for, persona):
    user = getattr(world, persona)
    client = client_for(user)
    assert raised_ids(client, user) == []
    set_level(world, case, ConcernLevel.ACUTE)
    assert raised_ids(client, user) == [case.pk]
    response = client.get(reverse("core:start"))
    assert reverse("safety:case_concern", args=[case.pk]) in response.content.decode()
    assert response.context["concern_cases"][0].concern_level == "acute"
    set_level(world, case, ConcernLevel.MODERATE)
    assert raised_ids(client, user) == []
    # Not on the other team's leader's page.
    set_level(world, case, ConcernLevel.HIGH)
    assert raised_ids(client_for(world.other_leader), world.other_leader) == []


def test_coordinator_sees_own_cases_of_other_teams(world, client_for):
    elsewhere = CaseFactory(team=world.other_team, coordinator=world.coordinator)
    set_concern_level(
        elsewhere, by=world.coordinator, level=ConcernLevel.HIGH, reason="x", notify=False
    )
    assert raised_concern_cases_for(world.coordinator).get() == elsewhere
    assert not raised_concern_cases_for(world.leader).exists()
    assert not raised_concern_cases_for(world.consultant).exists()


@pytest.mark.parametrize("persona", ["leader", "coordinator"])
def test_start_page_has_no_n_plus_one(world, case, client_for, persona):
    client = client_for(getattr(world, persona))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:start")).status_code == 200
        return len(ctx.captured_queries)

    set_level(world, case, ConcernLevel.HIGH)
    record_notification(case, by=world.coordinator, grounds="x")
    queries()  # the first request of a session also writes the session
    one = queries()
    for _ in range(2):
        other = CaseFactory(team=world.team, coordinator=world.coordinator)
        set_level(world, other, ConcernLevel.ACUTE)
        record_notification(other, by=world.coordinator, grounds="x")
    assert len(client.get(reverse("core:start")).context["concern_cases"]) == 3
    assert queries() == one


# --- Notifications and their receipt deadline -----------------------------------------------


@pytest.mark.parametrize(
    ("made_at", "due"),
    [
        (local(2026, 11, 18, 10), dt.date(2026, 11, 26)),  # Wednesday: no weekend between
        (local(2026, 11, 19, 10), dt.date(2026, 11, 27)),  # Thursday: over one weekend
        (local(2026, 11, 20, 10), dt.date(2026, 11, 30)),  # Friday
        (local(2026, 11, 21, 10), dt.date(2026, 11, 30)),  # Saturday
        (local(2026, 12, 22, 10), dt.date(2026, 12, 31)),  # Christmas Day and Boxing Day
        (local(2026, 4, 1, 10), dt.date(2026, 4, 14)),  # Easter 2026: 2, 3 and 6 April
        (local(2026, 5, 12, 10), dt.date(2026, 5, 21)),  # Ascension Day, 14 May
    ],
)
def test_receipt_is_due_after_6_working_days(made_at, due):
    assert receipt_due_on(made_at) == due


def test_the_due_date_counts_from_the_local_day():
    # 23:30 UTC on Thursday is already Friday in Copenhagen.
    assert receipt_due_on(dt.datetime(2026, 11, 19, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)


def test_recording_a_notification_flags_the_case(world, case):
    with time_machine.travel(local(2026, 11, 23, 12), tick=False):
        panel = concern_panel(case, today=timezone.localdate())
        assert panel.flagged is False
        notification = record_notification(
            case, by=world.consultant, made_at=local(2026, 11, 19, 10), grounds="Barnet fortalte…"
        )
        assert notification.municipality == case.municipality
        assert notification.receipt_due_on == dt.date(2026, 11, 27)
        assert notification.made_by == world.consultant
        event = AuditEvent.objects.get(action="notification.recorded")
        assert event.case_id == case.pk
        assert event.changes["receipt_due_on"] == "2026-11-27"
        panel = concern_panel(case, today=timezone.localdate())
        assert (panel.flagged, panel.open_count, panel.overdue_count) == (True, 1, 0)
        assert panel.open_since == local(2026, 11, 19, 10)
    other = record_notification(
        case, by=world.coordinator, grounds="Igen", municipality=municipality("751")
    )
    assert other.municipality.code == "751"
    panel = concern_panel(case, today=dt.date(2026, 11, 30))
    assert panel.overdue_count == 1  # the first; the second is not due yet


def test_notification_rules(world, case):
    with pytest.raises(ValidationError):
        record_notification(case, by=world.coordinator, grounds=" ")
    with pytest.raises(ValidationError):
        record_notification(
            case,
            by=world.coordinator,
            grounds="x",
            made_at=timezone.now() + dt.timedelta(hours=1),
        )
    for user in (world.outsider_consultant, world.caseworker, world.intake, world.other_leader):
        with pytest.raises(PermissionDenied):
            record_notification(case, by=user, grounds="x")
    assert not Notification.objects.exists()


def test_register_receipt(world, case):
    made_at = timezone.now() - dt.timedelta(days=3)
    notification = record_notification(case, by=world.consultant, made_at=made_at, grounds="x")
    with pytest.raises(ValidationError) as exc:
        register_receipt(notification, by=world.consultant, receipt_at=made_at - dt.timedelta(1))
    assert "receipt_at" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        register_receipt(notification, by=world.outsider_consultant, receipt_at=made_at)
    register_receipt(notification, by=world.consultant, receipt_at=made_at + dt.timedelta(1))
    notification.refresh_from_db()
    assert notification.receipt_at == made_at + dt.timedelta(1)
    assert AuditEvent.objects.filter(action="notification.receipt_registered").count() == 1
    with pytest.raises(ValidationError):
        register_receipt(notification, by=world.consultant, receipt_at=made_at)


# --- The reminder job -----------------------------------------------------------------------


def run_reminders(*args: str) -> str:
    out = StringIO()
    call_command("send_notification_reminders", "--base-url", BASE, *args, stdout=out)
    return out.getvalue()


def test_reminder_after_6_working_days_once(world, case):
    with time_machine.travel(local(2026, 11, 19, 10), tick=False):
        waiting = record_notification(case, by=world.consultant, grounds="Hemmelig begrundelse")
        answered = record_notification(case, by=world.consultant, grounds="x")
    with time_machine.travel(local(2026, 11, 20, 9), tick=False):
        register_receipt(answered, by=world.coordinator)
    assert waiting.receipt_due_on == dt.date(2026, 11, 27)

    with time_machine.travel(local(2026, 11, 27, 23, 59), tick=False):
        assert run_reminders().strip() == "0 reminder(s) sent."
    assert mail.outbox == []

    with time_machine.travel(local(2026, 11, 28, 0, 5), tick=False):
        assert run_reminders().strip() == "1 reminder(s) sent."
        assert run_reminders().strip() == "0 reminder(s) sent."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.coordinator.email]
    assert f"{BASE}/sager/{case.pk}/" in message.body
    text = f"{message.subject}\n{message.body}"
    for content in ("Hemmelig begrundelse", CHILD_NAME, CHILD_CPR, case.municipality.name):
        assert content not in text
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.reminder_sent_at == local(2026, 11, 28, 0, 5)
    assert answered.reminder_sent_at is None
    event = AuditEvent.objects.get(action="notification.reminder_sent")
    assert (event.actor, event.object_id, event.case_id) == (None, str(waiting.pk), case.pk)

    with time_machine.travel(local(2026, 12, 5, 8), tick=False):
        assert run_reminders().strip() == "0 reminder(s) sent."
    assert len(mail.outbox) == 1


def test_a_receipt_stops_the_reminder(world, case):
    with time_machine.travel(local(2026, 11, 19, 10), tick=False):
        notification = record_notification(case, by=world.consultant, grounds="x")
    with time_machine.travel(local(2026, 11, 30, 8), tick=False):
        register_receipt(notification, by=world.consultant)
        assert run_reminders().strip() == "0 reminder(s) sent."
    assert mail.outbox == []


def test_reminder_falls_back_to_the_leader(world, case):
    world.coordinator.is_active = False
    world.coordinator.save(update_fields=["is_active"])
    with time_machine.travel(local(2026, 11, 19, 10), tick=False):
        record_notification(case, by=world.consultant, grounds="x")
    with time_machine.travel(local(2026, 11, 30, 8), tick=False):
        run_reminders()
    assert [m.to for m in mail.outbox] == [[world.leader.email]]


def test_reminder_job_needs_the_site_address(monkeypatch):
    monkeypatch.delenv("TRAAD_BASE_URL", raising=False)
    with pytest.raises(CommandError):
        call_command("send_notification_reminders", "--base-url", "", stdout=StringIO())


# --- Screens --------------------------------------------------------------------------------

READERS = ("coordinator", "consultant", "leader")
OUTSIDERS = (
    "intake",
    "admin",
    "caseworker",
    "other_caseworker",
    "outsider_consultant",
    "other_leader",
)


def urls(case, notification):
    return {
        "concern": reverse("safety:case_concern", args=[case.pk]),
        "notifications": reverse("safety:case_notifications", args=[case.pk]),
        "receipt": reverse("safety:notification_receipt", args=[notification.pk]),
    }


@pytest.fixture
def notification(world, case):
    return record_notification(
        case, by=world.consultant, made_at=timezone.now() - dt.timedelta(days=1), grounds="x"
    )


def has_inline_code(html: str) -> bool:
    return bool(re.search(r"\sstyle=|<script(?![^>]*\bsrc=)", html))


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_pages_and_the_reads_are_logged(
    world, case, notification, client_for, persona
):
    user = getattr(world, persona)
    client = client_for(user)
    set_level(world, case, ConcernLevel.HIGH, earlier_abuse=True)
    pages = urls(case, notification)
    response = client.get(pages["concern"])
    assert response.status_code == 200
    assert response.context["panel"].current.level == "high"
    assert response.context["panel"].earlier_abuse is True
    assert response.context["panel"].flagged is True
    assert list(response.context["history"]) == list(concern_history(case))
    assert response.context["writable"] is True
    assert not has_inline_code(response.content.decode())
    response = client.get(pages["notifications"])
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.notification for r in rows] == [notification]
    assert rows[0].receipt_form is not None and rows[0].overdue is False
    assert not has_inline_code(response.content.decode())
    assert list(
        AuditEvent.objects.filter(actor=user, action__endswith="viewed")
        .order_by("id")
        .values_list("action", "case_id")
    ) == [("concern.viewed", case.pk), ("notifications.viewed", case.pk)]
    # The receipt (GET is not allowed).
    assert client.get(pages["receipt"]).status_code == 405


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_url(world, case, notification, client_for, persona):
    client = client_for(getattr(world, persona))
    pages = urls(case, notification)
    for url in pages.values():
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {}).status_code == 404
    assert client.get(pages["concern"]).status_code == 404
    assert client.get(pages["notifications"]).status_code == 404
    assert not AuditEvent.objects.filter(actor=getattr(world, persona), case_id=case.pk).exists()
    assert ConcernAssessment.objects.count() == 0
    assert Notification.objects.get().receipt_at is None


def test_missing_ids_are_404(world, client_for):
    client = client_for(world.coordinator)
    for url in urls(type("C", (), {"pk": 999999}), type("N", (), {"pk": 999999})).values():
        assert client.post(url, {}).status_code == 404


def test_readers_of_an_ended_case_may_not_write(world, case, notification, client_for):
    case.status = CaseStatus.ENDED
    case.ended_on = timezone.localdate()
    case.save(update_fields=["status", "ended_on"])
    client = client_for(world.coordinator)
    pages = urls(case, notification)
    assert client.get(pages["concern"]).status_code == 200
    assert client.get(pages["concern"]).context["writable"] is False
    data = {"concern-level": "high", "concern-reason": "x"}
    assert client.post(pages["concern"], data).status_code == 403
    assert client.post(pages["notifications"], {}).status_code == 403
    assert client.post(pages["receipt"], {}).status_code == 403
    assert not ConcernAssessment.objects.exists()


def test_setting_a_level_through_the_page(
    world, case, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.consultant)
    url = reverse("safety:case_concern", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"concern-level": "high", "concern-reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not ConcernAssessment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"concern-level": "high", "concern-reason": REASON, "concern-earlier_violence": "on"},
        )
    assert response.status_code == 302
    assessment = ConcernAssessment.objects.get()
    assert (assessment.level, assessment.reason, assessment.earlier_violence) == (
        "high",
        REASON,
        True,
    )
    assert assessment.set_by == world.consultant
    assert [m.to for m in mail.outbox] == [[world.leader.email]]
    assert f"http://testserver/sager/{case.pk}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="concern.set", actor=world.consultant).count() == 1


def test_recording_a_notification_and_its_receipt_through_the_pages(world, case, client_for):
    url = reverse("safety:case_notifications", args=[case.pk])
    with time_machine.travel(local(2026, 11, 30, 12), tick=False):
        client = client_for(world.consultant)  # signed in now: the session idles out
        response = client.post(
            url,
            {
                "notification-made_at": "2026-11-19T10:00",
                "notification-municipality": case.municipality_id,
                "notification-grounds": "Barnet fortalte om slag",
            },
        )
        assert response.status_code == 302
        notification = Notification.objects.get()
        assert notification.made_at == local(2026, 11, 19, 10)
        assert notification.receipt_due_on == dt.date(2026, 11, 27)
        page = client.get(url)
        assert page.context["rows"][0].overdue is True
        with translation.override("en"):
            assert "overdue" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        receipt = reverse("safety:notification_receipt", args=[notification.pk])
        field = f"receipt-{notification.pk}-receipt_at"
        response = client.post(receipt, {field: "2026-11-18T10:00"})
        assert response.status_code == 200
        notification.refresh_from_db()
        assert notification.receipt_at is None
        response = client.post(receipt, {field: "2026-11-20T09:30"})
        assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.receipt_at == local(2026, 11, 20, 9, 30)
    assert list(
        AuditEvent.objects.filter(actor=world.consultant, case_id=case.pk)
        .exclude(action__endswith="viewed")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["notification.recorded", "notification.receipt_registered"]


def test_the_case_panel(world, case):
    set_level(world, case, ConcernLevel.MODERATE, earlier_violence=True)
    with time_machine.travel(local(2026, 11, 19, 10), tick=False):
        record_notification(case, by=world.consultant, grounds="x")
    panel = concern_panel(case, today=dt.date(2026, 11, 30))
    assert (panel.flagged, panel.earlier_violence, panel.open_count, panel.overdue_count) == (
        True,
        True,
        1,
        1,
    )
    with translation.override("en"):
        html = render_to_string("safety/_case_concern.html", {"case": case, "concern_panel": panel})
    assert "1 without a receipt" in html
    assert "awaiting receipt since 11/19/2026" in html
    assert "Moderate" in html
    assert not has_inline_code(html)


# --- Demo -----------------------------------------------------------------------------------


def test_demo_concern(world, django_capture_on_commit_callbacks):
    for _ in range(4):
        CaseFactory(team=world.team, coordinator=world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        made = add_demo_concern(random.Random(7))
    assert made == ConcernAssessment.objects.count() >= 5
    assert raised_concern_cases_for(world.leader).count() == 2
    notifications = list(Notification.objects.order_by("made_at"))
    assert [n.receipt_at is not None for n in notifications] == [True, False]
    assert notifications[1].receipt_due_on < timezone.localdate()
    assert mail.outbox == []
    assert add_demo_concern(random.Random(7)) == 0


def test_a_signed_journal_note_raising_concern_enters_the_history(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    import datetime as dt

    from traad.journal import services as journal
    from traad.journal.models import ContactKind, FocusArea
    from traad.safety.models import ConcernLevel
    from traad.safety.selectors.concern import current_concern
    from traad.safety.services.concern import set_concern_level

    case = world.case
    set_concern_level(case, by=world.coordinator, level=ConcernLevel.MODERATE, reason="Start")
    entry = journal.start_draft(case, by=world.consultant)
    journal.save_draft(
        entry,
        by=world.consultant,
        fields={
            "date": dt.date(2026, 11, 20),
            "start_time": dt.time(17),
            "end_time": dt.time(18),
            "kind": ContactKind.HOME_VISIT,
            "participants": "Mor og Emma",
            "focus_areas": [FocusArea.PARENTING],
            "description": "Mor var påvirket ved besøget.",
            "reflections": "Bekymringen er steget.",
            "concern_change": "higher",
            "concern_note": "Mor var påvirket af alkohol.",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        journal.sign_entry(entry, by=world.consultant)
    current = current_concern(case)
    assert current.level == ConcernLevel.HIGH
    assert current.set_by == world.consultant
    assert "Mor var påvirket af alkohol." in current.reason
    assert [m.to for m in mailoutbox] == [[world.leader.email]]
    assert "alkohol" not in mailoutbox[0].body
