"""A case's report deadlines, from its own dates (the rules live in ``deadlines.py``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from traad.cases.models import Case
from traad.reports.deadlines import Deadline, add_months, report_deadlines

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
