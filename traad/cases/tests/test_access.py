"""Who sees which case: the selector, the rules predicate and the pages agree, and outsiders
get the same 404 as for a case that does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.cases.models import CaseStatus
from traad.cases.selectors import visible_to
from traad.factories import CaseFactory

pytestmark = pytest.mark.django_db

# persona -> may see the world's (active) case
EXPECTED_VISIBILITY = {
    "intake": False,  # intake sees referrals not yet started
    "coordinator": True,
    "consultant": True,
    "leader": True,
    "admin": False,  # admins run the system, not the cases
    "caseworker": True,
    "other_caseworker": False,
    "outsider_consultant": False,
    "other_leader": False,
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBILITY.items())
def test_visible_to_matches_rules_and_table(world, persona, expected):
    user = world.personas()[persona]
    assert visible_to(user).filter(pk=world.case.pk).exists() == expected
    assert user.has_perm("cases.view_case", world.case) == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBILITY.items())
def test_case_detail_page(world, client_for, persona, expected):
    user = world.personas()[persona]
    response = client_for(user).get(reverse("cases:detail", args=[world.case.pk]))
    viewed = AuditEvent.objects.filter(action="case.viewed", case_id=world.case.pk, actor=user)
    if expected and persona == "caseworker":
        # The caseworker follows the case in the portal, which logs its own opening.
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:case", args=[world.case.pk])
        assert viewed.count() == 0
    elif expected:
        assert response.status_code == 200
        assert viewed.count() == 1
        event = viewed.get()
        assert event.ip_address == "127.0.0.1"
        assert event.object_type == "cases.case"
        assert event.object_id == str(world.case.pk)
    else:
        assert response.status_code == 404
        assert viewed.count() == 0


def test_outsider_gets_same_answer_as_for_missing_case(world, client_for):
    client = client_for(world.outsider_consultant)
    not_theirs = client.get(reverse("cases:detail", args=[world.case.pk]))
    missing = client.get(reverse("cases:detail", args=[world.case.pk + 1000]))
    assert not_theirs.status_code == missing.status_code == 404
    assert not_theirs.content == missing.content


def test_intake_sees_cases_until_they_are_active(world):
    referral = CaseFactory(team=None, status=CaseStatus.REFERRAL)
    assigned = CaseFactory(team=world.team, status=CaseStatus.ASSIGNED)
    for status in (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.ENDED):
        CaseFactory(team=world.team, status=status)
    assert set(visible_to(world.intake)) == {referral, assigned}


# Who sees an unassigned referral (no team yet): intake and coordinators, who register them.
UNASSIGNED_REFERRAL_VISIBILITY = {
    "intake": True,
    "coordinator": True,
    "consultant": False,
    "leader": False,
    "admin": False,
    "caseworker": False,  # not the caseworker on it
    "other_caseworker": False,
    "outsider_consultant": False,
    "other_leader": False,
}


@pytest.mark.parametrize(("persona", "expected"), UNASSIGNED_REFERRAL_VISIBILITY.items())
def test_unassigned_referral_visibility(world, client_for, persona, expected):
    referral = CaseFactory(team=None, status=CaseStatus.REFERRAL)
    user = world.personas()[persona]
    assert visible_to(user).filter(pk=referral.pk).exists() == expected
    response = client_for(user).get(reverse("cases:detail", args=[referral.pk]))
    assert response.status_code == (200 if expected else 404)


def test_caseworker_sees_referral_they_ordered(world):
    referral = CaseFactory(team=None, status=CaseStatus.REFERRAL, caseworker=world.caseworker)
    assert visible_to(world.caseworker).filter(pk=referral.pk).exists()
    assert not visible_to(world.other_caseworker).filter(pk=referral.pk).exists()


def test_caseworker_never_sees_another_municipality_even_if_named(world):
    # Even with the caseworker field pointing at them, a case of another municipality is hidden.
    case = CaseFactory(team=world.team, caseworker=world.other_caseworker)
    assert case.municipality.code == "101"
    assert not visible_to(world.other_caseworker).filter(pk=case.pk).exists()


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.coordinator.is_active = False
    assert visible_to(world.coordinator).count() == 0
    assert visible_to(AnonymousUser()).count() == 0


def test_case_list_shows_visible_cases_only(world, client_for):
    CaseFactory(team=world.other_team)
    response = client_for(world.leader).get(reverse("cases:list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [world.case]


def test_case_list_has_no_n_plus_one(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.leader)
    client.get(reverse("cases:list"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cases:list"))
    for _ in range(3):
        CaseFactory(team=world.team, coordinator=world.coordinator, consultants=[world.consultant])
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("cases:list"))
    assert len(response.context["page"].object_list) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
