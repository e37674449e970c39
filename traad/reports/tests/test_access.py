"""Who may open which report: ``selectors.reports_visible_to`` (lists) and
``selectors.get_report_for`` (one report, 404 for missing and for not yours alike) for every
persona, and the ``reports.read_report`` rule agreeing with both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from traad.accounts.models import Role, User
from traad.factories import CaseFactory, UserFactory, municipality
from traad.reports.models import Report, ReportKind, ReportState
from traad.reports.selectors import get_report_for, reports_visible_to

pytestmark = pytest.mark.django_db

STAFF_ON_CASE = ("coordinator", "consultant", "leader")
NO_REPORTS = ("intake", "admin")


def make_report(case, by, state: str, number: int) -> Report:
    return Report.objects.create(
        case=case,
        kind=ReportKind.STATUS,
        deadline_number=number,
        due_on=dt.date(2026, 6, 1),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 5, 31),
        state=state,
        created_by=by,
    )


@pytest.fixture
def reports(world) -> dict[str, Report]:
    """A report in each state on the world's case, and a sent one on another team's case
    (another municipality, another caseworker, the outsider consultant)."""
    made = {
        state: make_report(world.case, world.coordinator, state, number)
        for number, state in enumerate(ReportState.values, start=1)
    }
    other_case = CaseFactory(
        team=world.other_team,
        municipality=municipality("751"),
        caseworker=world.other_caseworker,
        consultants=[world.outsider_consultant],
    )
    made["other_sent"] = make_report(other_case, world.other_leader, ReportState.SENT, 1)
    return made


def expected_for(persona: str) -> set[str]:
    if persona in STAFF_ON_CASE:
        return set(ReportState.values)
    if persona == "caseworker":
        return {ReportState.SENT}
    if persona in ("other_caseworker", "outsider_consultant", "other_leader"):
        return {"other_sent"}
    assert persona in NO_REPORTS
    return set()


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator",
        "consultant",
        "leader",
        "caseworker",
        "other_caseworker",
        "outsider_consultant",
        "other_leader",
        "intake",
        "admin",
    ],
)
def test_each_persona_opens_exactly_their_reports(world, reports, persona):
    user = world.personas()[persona]
    expected = {reports[name] for name in expected_for(persona)}

    assert set(reports_visible_to(user)) == expected
    for report in reports.values():
        may = report in expected
        assert user.has_perm("reports.read_report", report) is may
        if may:
            assert get_report_for(user, report.pk) == report
            assert get_report_for(user, str(report.pk)) == report
        else:
            with pytest.raises(Http404):
                get_report_for(user, report.pk)


def test_the_answer_for_a_missing_report_is_the_same_404(world, reports):
    missing = max(r.pk for r in reports.values()) + 1
    for user in (world.coordinator, world.caseworker, world.outsider_consultant):
        for report_id in (missing, "abc", None):
            with pytest.raises(Http404):
                get_report_for(user, report_id)


def test_the_report_list_of_a_case_is_for_staff_on_it(world):
    for name, user in world.personas().items():
        assert user.has_perm("reports.read_reports", world.case) is (name in STAFF_ON_CASE)


def test_every_version_is_visible_to_staff_and_only_sent_ones_to_the_caseworker(world, reports):
    correction = Report.objects.create(
        case=world.case,
        kind=ReportKind.STATUS,
        deadline_number=5,
        due_on=dt.date(2026, 6, 1),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 5, 31),
        version=2,
        previous=reports[ReportState.SENT],
        created_by=world.coordinator,
    )
    assert correction in reports_visible_to(world.coordinator)
    assert correction not in reports_visible_to(world.caseworker)
    with pytest.raises(Http404):
        get_report_for(world.caseworker, correction.pk)
    assert get_report_for(world.caseworker, reports[ReportState.SENT].pk).version == 1


def test_leaving_the_case_or_the_job_ends_access(world, reports):
    sent = reports[ReportState.SENT]
    world.case.consultants.remove(world.consultant)
    assert not reports_visible_to(world.consultant).exists()
    with pytest.raises(Http404):
        get_report_for(world.consultant, sent.pk)

    # A new caseworker on the case reads its sent reports; the old one no longer does.
    new_caseworker = User.objects.create(
        email="ny-sagsbehandler@traad.example",
        role=world.caseworker.role,
        municipality=world.caseworker.municipality,
    )
    world.case.caseworker = new_caseworker
    world.case.save(update_fields=["caseworker"])
    assert list(reports_visible_to(new_caseworker)) == [sent]
    assert not reports_visible_to(world.caseworker).exists()
    with pytest.raises(Http404):
        get_report_for(world.caseworker, sent.pk)

    User.objects.filter(pk=world.coordinator.pk).update(is_active=False)
    world.coordinator.refresh_from_db()
    assert not reports_visible_to(world.coordinator).exists()
    with pytest.raises(Http404):
        get_report_for(world.coordinator, sent.pk)


def test_a_coordinator_of_another_team_sees_nothing_here(world, reports):
    other = UserFactory(
        email="koordinator-vest@traad.example", role=Role.COORDINATOR, team=world.other_team
    )
    assert set(reports_visible_to(other)) == {reports["other_sent"]}
    with pytest.raises(Http404):
        get_report_for(other, reports[ReportState.DRAFT].pk)


def test_anonymous_visitors_see_nothing(reports):
    anonymous = AnonymousUser()
    assert not reports_visible_to(anonymous).exists()
    for report in reports.values():
        with pytest.raises(Http404):
            get_report_for(anonymous, report.pk)
