import datetime as dt

import pytest

from traad.cases.models import CaseStatus
from traad.factories import CaseFactory
from traad.reports.deadlines import Deadline, DeadlineKind
from traad.reports.selectors import deadlines_for_case

pytestmark = pytest.mark.django_db


def test_deadlines_follow_the_cases_own_dates(settings):
    settings.TRAAD_END_REPORT_DAYS = 14
    case = CaseFactory(
        first_contact_at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC),  # 1 Feb in Denmark
        report_interval_months=3,
    )
    deadlines = deadlines_for_case(case, today=dt.date(2026, 6, 1))
    assert [d.due for d in deadlines] == [
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 11, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 5, 1),
    ]


def test_parallel_investigation_and_end_report(settings):
    settings.TRAAD_END_REPORT_DAYS = 10
    case = CaseFactory(
        status=CaseStatus.ENDED,
        first_contact_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        investigation_expected_end=dt.date(2026, 4, 20),
        ended_on=dt.date(2026, 9, 1),
    )
    assert deadlines_for_case(case, today=dt.date(2026, 11, 1)) == [
        Deadline(DeadlineKind.STATUS, 1, dt.date(2026, 4, 20)),
        Deadline(DeadlineKind.END, 1, dt.date(2026, 9, 11)),
    ]


def test_nothing_is_due_before_the_start():
    case = CaseFactory(status=CaseStatus.ASSIGNED, first_contact_at=None)
    assert deadlines_for_case(case) == []


def test_coordinator_sets_the_rhythm_and_the_overview_shows_deadlines(world, client_for):
    from django.urls import reverse

    from traad.audit.models import AuditEvent

    url = reverse("reports:report_interval", args=[world.case.pk])
    response = client_for(world.coordinator).post(url, {"months": "3"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.report_interval_months == 3
    event = AuditEvent.objects.get(action="case.report_interval_changed")
    assert (event.actor, event.changes) == (world.coordinator, {"report_interval_months": [6, 3]})
    detail = client_for(world.coordinator).get(reverse("cases:detail", args=[world.case.pk]))
    assert detail.context["deadlines"] == deadlines_for_case(world.case)
    assert detail.context["next_report"] is not None
    # A bad value changes nothing.
    client_for(world.coordinator).post(url, {"months": "0"})
    world.case.refresh_from_db()
    assert world.case.report_interval_months == 3


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("outsider_consultant", 404),
        ("caseworker", 403),
        ("other_caseworker", 404),
        ("admin", 404),
        ("other_leader", 404),
    ],
)
def test_only_coordinators_and_leaders_set_the_rhythm(world, client_for, persona, status):
    from django.urls import reverse

    url = reverse("reports:report_interval", args=[world.case.pk])
    response = client_for(world.personas()[persona]).post(url, {"months": "3"})
    assert response.status_code == status
    world.case.refresh_from_db()
    assert world.case.report_interval_months == 6


def _panel_case(world):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from traad.reports.models import Report, ReportKind, ReportState

    cph = ZoneInfo("Europe/Copenhagen")
    world.case.first_contact_at = dt.datetime(2026, 1, 10, 10, tzinfo=cph)
    world.case.save(update_fields=["first_contact_at"])
    report = Report.objects.create(
        case=world.case,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=dt.date(2026, 4, 10),
        period_start=dt.date(2026, 1, 10),
        period_end=dt.date(2026, 4, 1),
        state=ReportState.READY,
        created_by=world.coordinator,
    )
    return report, dt.datetime(2026, 4, 1, 9, tzinfo=cph)


@pytest.mark.parametrize(
    ("persona", "can_start"), [("coordinator", True), ("leader", True), ("consultant", False)]
)
def test_panel_shows_each_deadlines_report_and_starts_the_next(
    world, client_for, persona, can_start
):
    import time_machine
    from django.urls import reverse

    from traad.reports.selectors import DeadlineState, Light

    report, now = _panel_case(world)
    with time_machine.travel(now, tick=False):
        response = client_for(world.personas()[persona]).get(
            reverse("cases:detail", args=[world.case.pk])
        )
    assert response.status_code == 200
    first, second = response.context["deadline_rows"][:2]
    assert (first.report, first.state, first.light) == (
        report,
        DeadlineState.IN_REVIEW,
        Light.SOON,
    )
    assert (second.report, second.state, second.light) == (
        None,
        DeadlineState.NOT_STARTED,
        Light.OK,
    )
    html = response.content.decode()
    assert f'href="{reverse("reports:detail", args=[report.pk])}"' in html
    assert f'href="{reverse("reports:case_reports", args=[world.case.pk])}"' in html
    start_form = f'action="{reverse("reports:start", args=[world.case.pk])}"'
    assert (start_form in html) is can_start
    if can_start:
        assert '<input type="hidden" name="deadline_number" value="2">' in html
        assert '<input type="hidden" name="deadline_number" value="1">' not in html


def test_starting_from_the_panel_makes_the_draft(world, client_for):
    import time_machine
    from django.urls import reverse

    from traad.reports.models import Report

    _, now = _panel_case(world)
    with time_machine.travel(now, tick=False):
        response = client_for(world.coordinator).post(
            reverse("reports:start", args=[world.case.pk]),
            {"kind": "status", "deadline_number": "2"},
        )
    assert response.status_code == 302
    report = Report.objects.get(case=world.case, deadline_number=2)
    assert (report.due_on, report.state, report.created_by) == (
        dt.date(2026, 10, 10),
        "draft",
        world.coordinator,
    )
