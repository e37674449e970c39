"""The case overview's report deadlines, each with the state of its report."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from traad.cases.models import Case
from traad.reports.deadlines import next_deadline
from traad.reports.selectors import SOON_DAYS, deadline_rows, deadlines_for_case
from traad.reports.views.interval import ReportIntervalForm


def case_panels(user: Any, case: Case) -> dict[str, Any]:
    if user.role not in ("coordinator", "leader", "consultant") or not user.has_perm(
        "journal.read", case
    ):
        return {"deadlines_readable": False}
    today = timezone.localdate()
    deadlines = deadlines_for_case(case, today=today)
    upcoming = next_deadline(deadlines, today)
    return {
        "deadlines_readable": True,
        "deadlines": deadlines,
        "deadline_rows": deadline_rows([case], today=today),
        "next_report": upcoming,
        "next_report_soon": upcoming is not None and (upcoming.due - today).days <= SOON_DAYS,
        "today": today,
        "interval_form": ReportIntervalForm(initial={"months": case.report_interval_months}),
        "can_set_interval": user.has_perm("cases.manage_case", case),
        "can_read_reports": user.has_perm("reports.read_reports", case),
        "can_start_report": user.has_perm("reports.start_report", case),
    }
