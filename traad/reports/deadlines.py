"""Report deadlines: the one place where Tråd computes when a case's reports are due.

Barnets lov § 95 and the provider's practice (domain.md, "Report cadence"):
- the first status report is due 3 months after the start, or at the end of a parallel
  investigation (§ 19/§ 20) if that comes first;
- then one every further N months (N is a setting of the case; the provider's default is 6);
- an end report a number of days (default 14) after the case ends; status reports that would
  fall due after the end are not owed.

Months are added as a person would: 31 January + 1 month is the last day of February, and every
later deadline is counted from the first one, so a series never drifts (31 May, 30 November,
31 May …).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

FIRST_REPORT_MONTHS = 3
DEFAULT_INTERVAL_MONTHS = 6
DEFAULT_END_REPORT_DAYS = 14


class DeadlineKind(StrEnum):
    STATUS = "status"
    END = "end"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    number: int  # 1, 2, … for status reports; 1 for the end report
    due: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, kept within the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def first_status_due(start: dt.date, investigation_end: dt.date | None = None) -> dt.date:
    due = add_months(start, FIRST_REPORT_MONTHS)
    if investigation_end is not None and start < investigation_end < due:
        return investigation_end
    return due


def report_deadlines(
    *,
    start: dt.date,
    until: dt.date,
    investigation_end: dt.date | None = None,
    interval_months: int = DEFAULT_INTERVAL_MONTHS,
    ended_on: dt.date | None = None,
    end_report_days: int = DEFAULT_END_REPORT_DAYS,
) -> list[Deadline]:
    """Every report deadline of a case from ``start`` up to ``until`` (inclusive), in order.

    ``start`` is the start of the intervention (the first contact in the family). For an ended
    case the series stops at the end and the end report follows, whatever ``until`` says.
    """
    if interval_months < 1:
        raise ValueError("interval_months must be at least 1")
    if end_report_days < 0:
        raise ValueError("end_report_days cannot be negative")
    if ended_on is not None and ended_on < start:
        raise ValueError("a case cannot end before it starts")
    last_status = ended_on if ended_on is not None else until
    first = first_status_due(start, investigation_end)
    deadlines: list[Deadline] = []
    number = 1
    due = first
    while due <= last_status if ended_on is None else due < ended_on:
        deadlines.append(Deadline(DeadlineKind.STATUS, number, due))
        due = add_months(first, number * interval_months)
        number += 1
    if ended_on is not None:
        deadlines.append(
            Deadline(DeadlineKind.END, 1, ended_on + dt.timedelta(days=end_report_days))
        )
    return deadlines


def next_deadline(deadlines: list[Deadline], today: dt.date) -> Deadline | None:
    """The first deadline on or after ``today``."""
    return next((d for d in deadlines if d.due >= today), None)
