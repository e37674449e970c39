"""A case's report deadlines, from its own dates (the rules live in ``deadlines.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from traad.accounts.models import Role
from traad.cases.models import Case, CaseStatus
from traad.cases.selectors import visible_to
from traad.reports import rules
from traad.reports.deadlines import Deadline, add_months, report_deadlines
from traad.reports.models import Report, ReportKind, ReportState

# How far ahead an ongoing case's deadlines are listed.
LOOKAHEAD_MONTHS = 12


def deadlines_for_case(case: Case, *, today: dt.date | None = None) -> list[Deadline]:
    """Every report deadline of ``case`` until a year from today (all of them once it ended).

    The intervention starts with the first contact in the family; before that nothing is due.
    """
    if case.first_contact_at is None:
        return []
    today = today or timezone.localdate()
    return report_deadlines(
        start=timezone.localtime(case.first_contact_at).date(),
        until=add_months(today, LOOKAHEAD_MONTHS),
        investigation_end=case.investigation_expected_end,
        interval_months=case.report_interval_months,
        ended_on=case.ended_on,
        end_report_days=settings.TRAAD_END_REPORT_DAYS,
    )


# --- Reports --------------------------------------------------------------------------------


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """Reports ``user`` may open: every version on the cases they work on; for a caseworker,
    the sent reports on their cases."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Report.objects.none()
    cases = visible_to(user)
    if user.role == Role.CASEWORKER:
        return Report.objects.filter(case__in=cases, state=ReportState.SENT)
    if user.role not in (Role.CONSULTANT, Role.COORDINATOR, Role.LEADER):
        return Report.objects.none()
    reports = Report.objects.filter(case__in=cases)
    if user.role == Role.COORDINATOR:
        # visible_to also shows coordinators the referral queue; reports need them on the case.
        on_case = Q(case__coordinator=user)
        if user.team_id is not None:
            on_case |= Q(case__team_id=user.team_id)
        reports = reports.filter(on_case)
    return reports


def get_report_for(user: Any, report_id: int | str) -> Report:
    """The report if ``user`` may open it; 404 both when it is missing and when it is not
    theirs, so the answer never confirms that a report exists."""
    try:
        report = Report.objects.select_related(
            "case__municipality",
            "case__caseworker",
            "case__coordinator",
            "case__intervention_type",
            "case__team",
        ).get(pk=int(report_id))
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not rules.can_read_report(user, report):
        raise Http404
    return report


# --- The deadline overview ------------------------------------------------------------------

# Cases that owe reports: an ended case still owes its end report.
OWING_STATUSES = (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.ENDED)
SOON_DAYS = 14
OVERVIEW_AHEAD_DAYS = 60
OVERVIEW_SENT_DAYS = 90


class DeadlineState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SENT = "sent"


class Light(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    OK = "ok"
    DONE = "done"


_STATE_OF_REPORT = {
    ReportState.DRAFT: DeadlineState.DRAFT,
    ReportState.READY: DeadlineState.IN_REVIEW,
    ReportState.REVIEWED: DeadlineState.IN_REVIEW,
    ReportState.APPROVED: DeadlineState.APPROVED,
    ReportState.SENT: DeadlineState.SENT,
}


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline of one case with the newest report version answering it."""

    case: Case
    kind: str
    number: int
    due: dt.date
    report: Report | None
    state: DeadlineState
    light: Light
    days_left: int  # negative when overdue
    # When the deadline was first answered: the earliest sent version (a correction being
    # written after that does not make the deadline overdue again).
    sent_at: dt.datetime | None

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)

    @property
    def is_sent(self) -> bool:
        return self.light == Light.DONE


def light_for(due: dt.date, *, today: dt.date, sent: bool) -> Light:
    if sent:
        return Light.DONE
    if due < today:
        return Light.OVERDUE
    if (due - today).days <= SOON_DAYS:
        return Light.SOON
    return Light.OK


def deadline_rows(cases: Iterable[Case], *, today: dt.date) -> list[DeadlineRow]:
    """Every deadline of ``cases`` (as ``deadlines_for_case`` lists them) with its report, in
    one query for all the reports, whatever the number of cases."""
    cases = list(cases)
    newest: dict[tuple[int, str, int], Report] = {}
    first_sent: dict[tuple[int, str, int], dt.datetime] = {}
    reports = (
        Report.objects.filter(case__in=[case.pk for case in cases], deadline_number__isnull=False)
        .exclude(kind=ReportKind.ADHOC)
        .only("pk", "case_id", "kind", "deadline_number", "version", "state", "sent_at")
        .order_by("version", "pk")
    )
    for report in reports:
        if report.deadline_number is None:  # filtered out above; this tells mypy
            continue
        key = (report.case_id, report.kind, report.deadline_number)
        newest[key] = report  # ordered by version: the last one wins
        if report.sent_at is not None and (
            key not in first_sent or report.sent_at < first_sent[key]
        ):
            first_sent[key] = report.sent_at
    rows: list[DeadlineRow] = []
    for case in cases:
        for deadline in deadlines_for_case(case, today=today):
            key = (case.pk, str(deadline.kind), deadline.number)
            answer = newest.get(key)
            sent_at = first_sent.get(key)
            rows.append(
                DeadlineRow(
                    case=case,
                    kind=str(deadline.kind),
                    number=deadline.number,
                    due=deadline.due,
                    report=answer,
                    state=(
                        _STATE_OF_REPORT[ReportState(answer.state)]
                        if answer is not None
                        else DeadlineState.NOT_STARTED
                    ),
                    light=light_for(deadline.due, today=today, sent=sent_at is not None),
                    days_left=(deadline.due - today).days,
                    sent_at=sent_at,
                )
            )
    return rows


def overview_cases_for(user: Any, *, coordinator_id: int | None = None) -> QuerySet[Case]:
    """The cases whose deadlines ``user`` follows: a coordinator the cases they coordinate, a
    leader their team's cases (optionally one coordinator's). Nobody else has an overview."""
    cases = Case.objects.filter(status__in=OWING_STATUSES).select_related("municipality")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.role == Role.COORDINATOR:
        return cases.filter(coordinator=user)
    if user.role == Role.LEADER and user.team_id is not None:
        cases = cases.filter(team_id=user.team_id)
        if coordinator_id is not None:
            cases = cases.filter(coordinator_id=coordinator_id)
        return cases
    return cases.none()


def deadline_overview_for(
    user: Any,
    *,
    today: dt.date,
    include_sent: bool = False,
    coordinator_id: int | None = None,
) -> list[DeadlineRow]:
    """Unsent deadlines due within 60 days, every overdue one and, with ``include_sent``, those
    sent in the last 90 days; overdue first, then by due date."""
    cases = overview_cases_for(user, coordinator_id=coordinator_id).order_by("pk")
    ahead = today + dt.timedelta(days=OVERVIEW_AHEAD_DAYS)
    sent_since = today - dt.timedelta(days=OVERVIEW_SENT_DAYS)
    rows = [
        row
        for row in deadline_rows(cases, today=today)
        if (not row.is_sent and row.due <= ahead)
        or (
            include_sent
            and row.sent_at is not None
            and timezone.localtime(row.sent_at).date() >= sent_since
        )
    ]
    rows.sort(key=lambda row: (row.light != Light.OVERDUE, row.due, row.case.pk, row.kind))
    return rows


@dataclass(frozen=True)
class OnTimeRate:
    """Reports sent by their deadline, of those sent in a period (the provider's KPI)."""

    on_time: int
    sent: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.sent) if self.sent else None


ON_TIME_MONTHS = 12


def on_time_rate_for(user: Any, *, today: dt.date, coordinator_id: int | None = None) -> OnTimeRate:
    """Of the status and end reports first sent in the last 12 months on the cases of the
    overview, how many were sent on or before their deadline. A correction does not count
    again: a deadline is met or missed by the first version sent."""
    since = timezone.make_aware(
        dt.datetime.combine(add_months(today, -ON_TIME_MONTHS), dt.time.min)
    )
    sent = Report.objects.filter(
        case__in=overview_cases_for(user, coordinator_id=coordinator_id),
        state=ReportState.SENT,
        previous__isnull=True,
        due_on__isnull=False,
        sent_at__gte=since,
    ).values_list("sent_at", "due_on")
    dates = [
        (timezone.localtime(sent_at).date(), due_on)
        for sent_at, due_on in sent
        if sent_at is not None and due_on is not None
    ]
    return OnTimeRate(on_time=sum(1 for day, due in dates if day <= due), sent=len(dates))


def overview_coordinators_for(user: Any) -> QuerySet[Any]:
    """The coordinators a leader can filter the overview by: those of the team's cases."""
    from traad.accounts.models import User

    if getattr(user, "role", None) != Role.LEADER or user.team_id is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.COORDINATOR,
        pk__in=Case.objects.filter(team_id=user.team_id, status__in=OWING_STATUSES).values(
            "coordinator_id"
        ),
    ).order_by("full_name", "pk")


# --- Reports a caseworker has received ------------------------------------------------------


@dataclass(frozen=True)
class ReceivedReport:
    report: Report
    replaced_by: Report | None  # a later sent version of the same report


def received_reports_for(user: Any, *, case: Case | None = None) -> list[ReceivedReport]:
    """The sent reports on a caseworker's cases (or on one ``case``), newest first, each with
    the later sent version that replaces it (if any). Two queries whatever the number."""
    if getattr(user, "role", None) != Role.CASEWORKER:
        return []
    visible = reports_visible_to(user)
    if case is not None:
        visible = visible.filter(case=case)
    reports = list(visible.select_related("case__municipality").order_by("-sent_at", "-pk"))
    sent = {report.pk: report for report in reports}
    # Corrections may pass through versions that were never sent (approved, then corrected
    # again), so the chain is followed over every version of these cases.
    correction_of = dict(
        Report.objects.filter(
            case_id__in={report.case_id for report in reports}, previous__isnull=False
        ).values_list("previous_id", "pk")
    )
    received = []
    for report in reports:
        replaced_by = None
        pk = correction_of.get(report.pk)
        while pk is not None:
            if pk in sent:
                replaced_by = sent[pk]
            pk = correction_of.get(pk)
        received.append(ReceivedReport(report=report, replaced_by=replaced_by))
    return received
