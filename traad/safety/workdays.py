"""Danish working days: Monday to Friday, except public holidays (the ``holidays`` package)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _danish_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Denmark(years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
