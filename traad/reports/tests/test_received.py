"""The caseworker's list of the reports sent to them (until the caseworker portal)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.cases.models import Case
from traad.factories import CaseFactory
from traad.reports.models import Report, ReportKind, ReportState
from traad.reports.selectors import received_reports_for

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def make_report(
    case: Case,
    *,
    state: str = ReportState.SENT,
    sent_day: int | None = 1,
    number: int | None = 1,
    kind: str = ReportKind.STATUS,
    version: int = 1,
    previous: Report | None = None,
) -> Report:
    return Report.objects.create(
        case=case,
        kind=kind,
        deadline_number=number,
        due_on=dt.date(2026, 4, 10) if number else None,
        period_start=dt.date(2026, 1, 10),
        period_end=dt.date(2026, 4, 1),
        state=state,
        version=version,
        previous=previous,
        sent_at=dt.datetime(2026, 4, sent_day, 12, tzinfo=CPH) if sent_day else None,
        created_by=case.coordinator,
    )


def test_caseworker_sees_the_reports_sent_on_their_cases(world, client_for):
    first = make_report(world.case, sent_day=1)
    # Version 2 was approved and corrected again without being sent; version 3 was sent.
    unsent = make_report(
        world.case, state=ReportState.APPROVED, sent_day=None, version=2, previous=first
    )
    third = make_report(world.case, sent_day=5, version=3, previous=unsent)
    statement = make_report(world.case, kind=ReportKind.ADHOC, number=None, sent_day=3)
    Report.objects.filter(pk=statement.pk).update(
        first_opened_at=dt.datetime(2026, 4, 4, 8, tzinfo=CPH)
    )
    make_report(world.case, number=2, state=ReportState.DRAFT, sent_day=None)
    # Another caseworker's case.
    make_report(CaseFactory(team=world.team, coordinator=world.coordinator), sent_day=6)

    response = client_for(world.caseworker).get(reverse("reports:received"))
    assert response.status_code == 200
    received = response.context["received"]
    assert [(item.report, item.replaced_by) for item in received] == [
        (third, None),
        (statement, None),
        (first, third),
    ]
    html = response.content.decode()
    for report in (first, third, statement):
        assert f'href="{reverse("reports:detail", args=[report.pk])}"' in html
    assert 'data-testid="replaced"' in html
    assert html.count('data-testid="replaced"') == 1
    assert 'style="' not in html
    event = AuditEvent.objects.get(action="reports.received_listed")
    assert (event.actor, event.changes) == (world.caseworker, {"rows": 3})


def test_another_caseworker_sees_none_of_them(world, client_for):
    make_report(world.case)
    response = client_for(world.other_caseworker).get(reverse("reports:received"))
    assert response.status_code == 200
    assert response.context["received"] == []


@pytest.mark.parametrize(
    "persona", ["intake", "coordinator", "consultant", "leader", "admin", "outsider_consultant"]
)
def test_only_caseworkers_have_the_page(world, client_for, persona):
    make_report(world.case)
    response = client_for(world.personas()[persona]).get(reverse("reports:received"))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reports.received_listed").exists()
    assert received_reports_for(world.personas()[persona]) == []


def test_received_queries_do_not_grow_with_reports(world, client_for):
    client = client_for(world.caseworker)
    url = reverse("reports:received")
    make_report(world.case)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["received"]) == 1
    for number in range(2, 6):
        case = CaseFactory(
            team=world.team, coordinator=world.coordinator, caseworker=world.caseworker
        )
        make_report(case, number=number)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(url).context["received"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
