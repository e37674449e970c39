"""Caseworkers see their own municipality's cases only: their own cases, or every case of the
municipality when it lets caseworkers cover for each other, and never another municipality's
(not even with the setting on in both). Checked through visible_to and every page a caseworker
might guess the address of (404, never a 403 that confirms the case)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from traad.accounts.models import Role
from traad.audit.models import AuditEvent
from traad.cases.selectors import visible_to
from traad.factories import UserFactory, municipality
from traad.organisations.models import Municipality
from traad.portal import services
from traad.portal.models import Recommendation
from traad.reports import services as report_services
from traad.reports.models import Report, ReportKind, ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    """world.case (Copenhagen, world.caseworker's) with a sent report and an open
    recommendation; a colleague in Copenhagen; world.other_caseworker in Aarhus."""
    colleague = UserFactory(
        email="kollega@kk.example",
        role=Role.CASEWORKER,
        team=None,
        municipality=world.case.municipality,
    )
    report = report_services.start_report(
        world.case,
        by=world.coordinator,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=dt.date(2026, 6, 1),
    )
    Report.objects.filter(pk=report.pk).update(state=ReportState.SENT, sent_to=world.caseworker)
    recommendation = services.recommend(
        world.case, by=world.coordinator, kind="scale_up", text="Mere støtte."
    )
    mail.outbox.clear()
    return {
        "own": world.caseworker,
        "colleague": colleague,
        "other_municipality": world.other_caseworker,
        "report": report,
        "recommendation": recommendation,
    }


def cover(code: str, on: bool) -> None:
    Municipality.objects.filter(code=code).update(caseworkers_cover_each_other=on)


def access(world, setup, client_for, who: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    user = setup[who]
    client = client_for(user)
    case = world.case
    return {
        "visible_to": int(visible_to(user).filter(pk=case.pk).exists()),
        "cases:detail": client.get(reverse("cases:detail", args=[case.pk])).status_code,
        "portal:case": client.get(reverse("portal:case", args=[case.pk])).status_code,
        "reports:detail": client.get(
            reverse("reports:detail", args=[setup["report"].pk])
        ).status_code,
    }


SEES = {"visible_to": 1, "cases:detail": 302, "portal:case": 200, "reports:detail": 200}
HIDDEN = {"visible_to": 0, "cases:detail": 404, "portal:case": 404, "reports:detail": 404}


@pytest.mark.parametrize(
    ("who", "covering", "expected"),
    [
        ("own", False, SEES),
        ("own", True, SEES),
        ("colleague", False, HIDDEN),
        ("colleague", True, SEES),
        ("other_municipality", True, HIDDEN),
    ],
)
def test_who_sees_the_case(world, setup, client_for, who, covering, expected):
    cover("101", covering)
    cover("751", covering)
    assert access(world, setup, client_for, who) == expected


@pytest.mark.parametrize(
    ("who", "covering", "status"),
    [
        ("colleague", False, 404),
        ("other_municipality", True, 404),
        ("colleague", True, 302),
        ("own", False, 302),
    ],
)
def test_answering_a_recommendation(world, setup, client_for, who, covering, status):
    cover("101", covering)
    cover("751", covering)
    recommendation = setup["recommendation"]
    response = client_for(setup[who]).post(
        reverse("portal:answer", args=[recommendation.pk]), {"answer": "agree", "text": ""}
    )
    assert response.status_code == status
    recommendation.refresh_from_db()
    if status == 404:
        assert recommendation.is_open
        assert not AuditEvent.objects.filter(action="portal.recommendation_answered").exists()
    else:
        assert (recommendation.answer, recommendation.answered_by) == ("agree", setup[who])


def test_unknown_ids_are_404(world, setup, client_for):
    client = client_for(setup["own"])
    assert client.get(reverse("portal:case", args=[999])).status_code == 404
    response = client.post(reverse("portal:answer", args=[999]), {"answer": "agree"})
    assert response.status_code == 404
    assert Recommendation.objects.filter(answered_at__isnull=False).count() == 0


# --- The municipality setting in the admin ---------------------------------------------------


def test_admin_changes_only_the_covering_setting_and_it_is_audited(world, client_for):
    kbh = municipality("101")
    before = (kbh.code, kbh.name, kbh.region)
    client = client_for(world.admin)
    url = f"/admin/organisations/municipality/{kbh.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "caseworkers_cover_each_other": "on",
            "code": "999",
            "name": "Hackerby",
            "region": "other",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kbh.refresh_from_db()
    assert kbh.caseworkers_cover_each_other is True
    assert (kbh.code, kbh.name, kbh.region) == before
    event = AuditEvent.objects.get(action="municipality.changed")
    assert (event.actor, event.object_id, event.changes) == (
        world.admin,
        str(kbh.pk),
        {"caseworkers_cover_each_other": [False, True]},
    )
    # Saving unchanged writes no second row.
    client.post(url, {"caseworkers_cover_each_other": "on"})
    assert AuditEvent.objects.filter(action="municipality.changed").count() == 1


def test_no_municipality_is_added_or_deleted(world, client_for):
    kbh = municipality("101")
    client = client_for(world.admin)
    assert client.get("/admin/organisations/municipality/add/").status_code == 403
    assert (
        client.post(f"/admin/organisations/municipality/{kbh.pk}/delete/", {"post": "yes"})
    ).status_code == 403
    assert Municipality.objects.filter(pk=kbh.pk).exists()


@pytest.mark.parametrize("persona", ["coordinator", "leader", "caseworker"])
def test_only_the_admin_changes_the_setting(world, client_for, persona):
    kbh = municipality("101")
    client_for(getattr(world, persona)).post(
        f"/admin/organisations/municipality/{kbh.pk}/change/",
        {"caseworkers_cover_each_other": "on"},
    )
    kbh.refresh_from_db()
    assert kbh.caseworkers_cover_each_other is False
    assert not AuditEvent.objects.filter(action="municipality.changed").exists()
