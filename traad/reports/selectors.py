"""A case's report deadlines, from its own dates (the rules live in ``deadlines.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from traad.accounts.models import Role
from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.reports import rules
from traad.reports.deadlines import Deadline, add_months, report_deadlines
from traad.reports.models import Report, ReportState

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
