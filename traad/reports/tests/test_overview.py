"""The deadline overview: rows with the newest report and a traffic light, who sees which
cases, the page with its labels and links, its audit row and its N+1 guard."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus
from traad.factories import CaseFactory, UserFactory
from traad.reports.models import Report, ReportKind, ReportState
from traad.reports.selectors import (
    DeadlineState,
    Light,
    deadline_overview_for,
    deadline_rows,
    light_for,
    on_time_rate_for,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
# A case started 10 January 2026: status report 1 is due 10 April, 2 on 10 October 2026.
START = dt.datetime(2026, 1, 10, 10, tzinfo=CPH)
DUE_1 = dt.date(2026, 4, 10)
DUE_2 = dt.date(2026, 10, 10)
TODAY = dt.date(2026, 4, 1)


def start(case: Case) -> Case:
    case.first_contact_at = START
    case.save(update_fields=["first_contact_at"])
    return case


def make_report(
    case: Case,
    *,
    number: int = 1,
    state: str = ReportState.DRAFT,
    version: int = 1,
    previous: Report | None = None,
    sent_at: dt.datetime | None = None,
    kind: str = ReportKind.STATUS,
    due_on: dt.date = DUE_1,
) -> Report:
    return Report.objects.create(
        case=case,
        kind=kind,
        deadline_number=number,
        due_on=due_on,
        period_start=START.date(),
        period_end=due_on,
        state=state,
        version=version,
        previous=previous,
        sent_at=sent_at,
        created_by=case.coordinator,
    )


@pytest.fixture
def case(world):
    return start(world.case)


# --- The light and the rows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "sent", "light"),
    [
        (dt.date(2026, 3, 31), False, Light.OVERDUE),
        (TODAY, False, Light.SOON),
        (TODAY + dt.timedelta(days=14), False, Light.SOON),
        (TODAY + dt.timedelta(days=15), False, Light.OK),
        (dt.date(2026, 3, 31), True, Light.DONE),
    ],
)
def test_the_light(due, sent, light):
    assert light_for(due, today=TODAY, sent=sent) == light


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ReportState.DRAFT, DeadlineState.DRAFT),
        (ReportState.READY, DeadlineState.IN_REVIEW),
        (ReportState.REVIEWED, DeadlineState.IN_REVIEW),
        (ReportState.APPROVED, DeadlineState.APPROVED),
        (ReportState.SENT, DeadlineState.SENT),
    ],
)
def test_each_report_state_shows_on_its_deadline(case, state, expected):
    sent_at = dt.datetime(2026, 3, 30, 12, tzinfo=CPH) if state == ReportState.SENT else None
    report = make_report(case, state=state, sent_at=sent_at)
    first, second = deadline_rows([case], today=TODAY)[:2]
    assert (first.number, first.due, first.report, first.state) == (1, DUE_1, report, expected)
    assert first.light == (Light.DONE if state == ReportState.SENT else Light.SOON)
    assert first.days_left == 9
    assert (second.due, second.report, second.state, second.light) == (
        DUE_2,
        None,
        DeadlineState.NOT_STARTED,
        Light.OK,
    )


def test_the_newest_version_answers_the_deadline(case):
    sent = make_report(case, state=ReportState.SENT, sent_at=dt.datetime(2026, 4, 8, 9, tzinfo=CPH))
    correction = make_report(case, version=2, previous=sent)
    make_report(case, number=2, kind=ReportKind.END)  # another deadline: no match
    row = deadline_rows([case], today=dt.date(2026, 4, 20))[0]
    assert (row.report, row.state) == (correction, DeadlineState.DRAFT)
    # The deadline was met by the first version: a correction does not make it overdue.
    assert (row.light, row.sent_at) == (Light.DONE, sent.sent_at)


def test_coordinators_see_their_cases_and_leaders_their_team(world, case):
    colleague = UserFactory(role="coordinator", team=world.team)
    team_case = start(CaseFactory(team=world.team, coordinator=colleague))
    other = start(CaseFactory(team=world.other_team, coordinator=colleague))
    start(CaseFactory(team=world.team, coordinator=world.coordinator, status=CaseStatus.ASSIGNED))

    def cases(user, **kwargs):
        rows = deadline_overview_for(user, today=TODAY, **kwargs)
        return sorted({row.case.pk for row in rows})

    assert cases(world.coordinator) == [case.pk]
    assert cases(colleague) == sorted([team_case.pk, other.pk])
    assert cases(world.leader) == sorted([case.pk, team_case.pk])
    assert cases(world.leader, coordinator_id=colleague.pk) == [team_case.pk]
    assert cases(world.other_leader) == [other.pk]
    for persona in ("consultant", "caseworker", "admin", "intake", "outsider_consultant"):
        assert cases(world.personas()[persona]) == [], persona


def test_overview_window_order_and_sent_reports(world, case):
    late = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        first_contact_at=dt.datetime(2025, 11, 1, 10, tzinfo=CPH),
    )  # status report 1 was due 1 February 2026
    ended = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        status=CaseStatus.ENDED,
        first_contact_at=dt.datetime(2026, 3, 1, 10, tzinfo=CPH),
        ended_on=dt.date(2026, 3, 20),
    )  # owes only its end report, due 3 April
    rows = deadline_overview_for(world.coordinator, today=TODAY)
    assert [(row.case, row.kind, row.number, row.light) for row in rows] == [
        (late, "status", 1, Light.OVERDUE),
        (ended, "end", 1, Light.SOON),
        (case, "status", 1, Light.SOON),
    ]  # late's status report 2 (1 August) and case's 2 (10 October) are over 60 days away
    assert rows[0].days_left == -59
    assert rows[0].days_overdue == 59
    # Sent reports only on request, and only those sent in the last 90 days.
    make_report(late, state=ReportState.SENT, sent_at=dt.datetime(2026, 2, 3, 9, tzinfo=CPH))
    make_report(
        ended,
        kind=ReportKind.END,
        state=ReportState.SENT,
        sent_at=dt.datetime(2026, 3, 25, 9, tzinfo=CPH),
    )
    assert [(r.case, r.kind) for r in deadline_overview_for(world.coordinator, today=TODAY)] == [
        (case, "status")
    ]
    with_sent = deadline_overview_for(world.coordinator, today=TODAY, include_sent=True)
    assert [(r.case, r.kind, r.light) for r in with_sent] == [
        (late, "status", Light.DONE),
        (ended, "end", Light.DONE),
        (case, "status", Light.SOON),
    ]
    # Later, the report sent in February is more than 90 days old.
    assert [
        r.case
        for r in deadline_overview_for(
            world.coordinator, today=dt.date(2026, 5, 5), include_sent=True
        )
        if r.is_sent
    ] == [ended]


# --- The page -------------------------------------------------------------------------------


def test_coordinator_sees_the_overview_with_labels_and_links(world, case, client_for):
    report = make_report(case, state=ReportState.READY)
    overdue = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        first_contact_at=dt.datetime(2025, 11, 1, 10, tzinfo=CPH),
    )
    client = client_for(world.coordinator)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=CPH), tick=False):
        response = client.get(reverse("reports:deadlines"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.case, r.number, r.light) for r in rows] == [
        (overdue, 1, Light.OVERDUE),
        (case, 1, Light.SOON),
    ]
    html = response.content.decode()
    assert f'href="{reverse("reports:detail", args=[report.pk])}"' in html
    assert f'href="{reverse("reports:case_reports", args=[overdue.pk])}"' in html
    assert f'href="{reverse("cases:detail", args=[overdue.pk])}">{overdue.number}</a>' in html
    assert 'data-testid="light-overdue"' in html
    assert '<span aria-hidden="true">▲</span> Overskredet</span>' in html  # Danish by default
    assert 'data-testid="light-soon"' in html
    assert 'style="' not in html
    event = AuditEvent.objects.get(action="reports.deadlines_listed")
    assert (event.actor, event.changes["rows"], event.changes["include_sent"]) == (
        world.coordinator,
        2,
        False,
    )


def test_the_light_reads_without_colour(world, case, client_for):
    from django.utils import translation

    make_report(case, state=ReportState.APPROVED)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=CPH), tick=False):
        html = client_for(world.coordinator).get(reverse("reports:deadlines")).content.decode()
    with translation.override("da"):
        label = str(translation.gettext("Due within 14 days"))
        approved = str(translation.gettext("Approved"))
    assert f'<span aria-hidden="true">◆</span> {label}</span>' in html
    assert approved in html


def test_leader_filters_by_coordinator(world, case, client_for):
    colleague = UserFactory(role="coordinator", team=world.team)
    theirs = start(CaseFactory(team=world.team, coordinator=colleague))
    client = client_for(world.leader)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=CPH), tick=False):
        everyone = client.get(reverse("reports:deadlines"))
        filtered = client.get(reverse("reports:deadlines"), {"coordinator": colleague.pk})
    assert {r.case for r in everyone.context["rows"]} == {case, theirs}
    assert {r.case for r in filtered.context["rows"]} == {theirs}
    choices = everyone.context["form"].fields["coordinator"].queryset
    assert set(choices) == {world.coordinator, colleague}
    events = AuditEvent.objects.filter(action="reports.deadlines_listed").order_by("pk")
    assert [e.changes["coordinator"] for e in events] == ["", str(colleague.pk)]


@pytest.mark.parametrize(
    "persona", ["consultant", "caseworker", "admin", "intake", "outsider_consultant"]
)
def test_others_have_no_overview(world, client_for, persona):
    response = client_for(world.personas()[persona]).get(reverse("reports:deadlines"))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reports.deadlines_listed").exists()


def test_overview_queries_do_not_grow_with_cases(world, client_for):
    def make_cases(count: int) -> None:
        for _ in range(count):
            made = start(CaseFactory(team=world.team, coordinator=world.coordinator))
            make_report(made, state=ReportState.READY)

    client = client_for(world.leader)
    url = reverse("reports:deadlines")
    make_cases(1)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=CPH), tick=False):
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            assert len(client.get(url).context["rows"]) == 1
        make_cases(4)
        with CaptureQueriesContext(connection) as five:
            assert len(client.get(url).context["rows"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# --- The on-time rate -----------------------------------------------------------------------


def test_the_on_time_rate_counts_first_sent_versions_of_the_last_12_months(world, case, client_for):
    other = start(CaseFactory(team=world.team, coordinator=world.coordinator))
    on_time = make_report(
        case, state=ReportState.SENT, sent_at=dt.datetime(2026, 4, 10, 23, 30, tzinfo=CPH)
    )
    # Its correction, sent later, does not count again.
    make_report(
        case,
        state=ReportState.SENT,
        version=2,
        previous=on_time,
        sent_at=dt.datetime(2026, 6, 1, 10, tzinfo=CPH),
    )
    make_report(  # late by one day
        other, state=ReportState.SENT, sent_at=dt.datetime(2026, 4, 11, 9, tzinfo=CPH)
    )
    make_report(  # more than 12 months before today: outside the period
        other,
        number=2,
        due_on=dt.date(2026, 2, 1),
        state=ReportState.SENT,
        sent_at=dt.datetime(2026, 1, 20, 9, tzinfo=CPH),
    )
    today = dt.date(2027, 2, 15)
    rate = on_time_rate_for(world.coordinator, today=today)
    assert (rate.on_time, rate.sent, rate.percent) == (1, 2, 50)
    assert on_time_rate_for(world.leader, today=today).sent == 2
    assert on_time_rate_for(world.other_leader, today=today).sent == 0

    with time_machine.travel(dt.datetime(2027, 2, 15, 12, tzinfo=CPH), tick=False):
        client = client_for(world.coordinator)
        client.cookies["django_language"] = "en"
        response = client.get(reverse("reports:deadlines"))
    text = " ".join(response.content.decode().split())
    assert (
        "Sent by the deadline in the last 12 months: <strong>50 %</strong> (1 of 2 reports)."
        in text
    )
