"""The deadline rules with fixed examples (month ends, leap years, an early investigation, a
changed rhythm, an end report) and with hypothesis over many dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traad.reports.deadlines import (
    Deadline,
    DeadlineKind,
    add_months,
    first_status_due,
    next_deadline,
    report_deadlines,
)

D = dt.date
STATUS, END = DeadlineKind.STATUS, DeadlineKind.END


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 29), 3, D(2028, 2, 29)),
        (D(2026, 8, 15), 6, D(2027, 2, 15)),
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 5, 31), -3, D(2026, 2, 28)),
    ],
)
def test_add_months_rolls_at_month_ends(day, months, expected):
    assert add_months(day, months) == expected


def test_first_report_three_months_after_start():
    assert first_status_due(D(2026, 11, 30)) == D(2027, 2, 28)


def test_investigation_ending_early_brings_the_first_report_forward():
    assert first_status_due(D(2026, 9, 1), D(2026, 10, 15)) == D(2026, 10, 15)
    # An investigation ending after three months, or before the start, changes nothing.
    assert first_status_due(D(2026, 9, 1), D(2027, 1, 15)) == D(2026, 12, 1)
    assert first_status_due(D(2026, 9, 1), D(2026, 8, 1)) == D(2026, 12, 1)


def test_series_is_counted_from_the_first_deadline_and_never_drifts():
    deadlines = report_deadlines(start=D(2026, 2, 28), until=D(2028, 1, 1))
    assert [d.due for d in deadlines] == [
        D(2026, 5, 28),
        D(2026, 11, 28),
        D(2027, 5, 28),
        D(2027, 11, 28),
    ]
    month_end = report_deadlines(start=D(2026, 2, 28), until=D(2027, 6, 1), interval_months=3)
    assert [d.due for d in month_end] == [
        D(2026, 5, 28),
        D(2026, 8, 28),
        D(2026, 11, 28),
        D(2027, 2, 28),
        D(2027, 5, 28),
    ]
    from_31st = report_deadlines(start=D(2026, 8, 31), until=D(2027, 12, 31), interval_months=3)
    assert [d.due for d in from_31st] == [
        D(2026, 11, 30),
        D(2027, 2, 28),
        D(2027, 5, 30),  # 30 Nov + 6 months counted from the first deadline
        D(2027, 8, 30),
        D(2027, 11, 30),
    ]


def test_changed_rhythm():
    deadlines = report_deadlines(start=D(2026, 1, 10), until=D(2026, 12, 31), interval_months=2)
    assert [d.due for d in deadlines] == [
        D(2026, 4, 10),
        D(2026, 6, 10),
        D(2026, 8, 10),
        D(2026, 10, 10),
        D(2026, 12, 10),
    ]
    assert [d.number for d in deadlines] == [1, 2, 3, 4, 5]


def test_end_report_and_no_status_report_after_the_end():
    deadlines = report_deadlines(
        start=D(2026, 1, 10), until=D(2030, 1, 1), ended_on=D(2026, 10, 9), end_report_days=14
    )
    assert deadlines == [
        Deadline(STATUS, 1, D(2026, 4, 10)),
        Deadline(END, 1, D(2026, 10, 23)),  # 10 Oct would be after the end: not owed
    ]


def test_a_case_ending_on_a_deadline_owes_the_end_report_instead():
    deadlines = report_deadlines(start=D(2026, 1, 10), until=D(2030, 1, 1), ended_on=D(2026, 4, 10))
    assert deadlines == [Deadline(END, 1, D(2026, 4, 24))]


def test_next_deadline():
    deadlines = report_deadlines(start=D(2026, 1, 10), until=D(2027, 1, 1))
    assert next_deadline(deadlines, D(2026, 4, 10)) == Deadline(STATUS, 1, D(2026, 4, 10))
    assert next_deadline(deadlines, D(2026, 4, 11)) == Deadline(STATUS, 2, D(2026, 10, 10))
    assert next_deadline(deadlines, D(2026, 10, 11)) is None


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        report_deadlines(start=D(2026, 1, 1), until=D(2027, 1, 1), interval_months=0)
    with pytest.raises(ValueError):
        report_deadlines(start=D(2026, 1, 1), until=D(2027, 1, 1), ended_on=D(2025, 1, 1))


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@given(day=days, months=st.integers(min_value=0, max_value=60))
def test_add_months_properties(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or result.day >= 28  # only shortened at a month end


@given(
    start=days,
    span=st.integers(min_value=0, max_value=2000),
    interval=st.integers(min_value=1, max_value=12),
    investigation=st.one_of(st.none(), st.integers(min_value=-100, max_value=200)),
    ends_after=st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
)
def test_deadline_series_properties(start, span, interval, investigation, ends_after):
    until = start + dt.timedelta(days=span)
    investigation_end = (
        start + dt.timedelta(days=investigation) if investigation is not None else None
    )
    ended_on = start + dt.timedelta(days=ends_after) if ends_after is not None else None
    deadlines = report_deadlines(
        start=start,
        until=until,
        investigation_end=investigation_end,
        interval_months=interval,
        ended_on=ended_on,
    )
    status = [d for d in deadlines if d.kind == STATUS]
    dues = [d.due for d in deadlines]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    assert [d.number for d in status] == list(range(1, len(status) + 1))
    if status:
        assert start < status[0].due <= add_months(start, 3)
    # Every status deadline is counted from the first, so the series never drifts.
    for deadline in status:
        assert deadline.due == add_months(status[0].due, (deadline.number - 1) * interval)
    if ended_on is None:
        assert all(d.due <= until for d in deadlines)
        following = add_months(status[0].due, len(status) * interval) if status else None
        assert following is None or following > until
    else:
        assert deadlines[-1] == Deadline(END, 1, ended_on + dt.timedelta(days=14))
        assert all(d.due < ended_on for d in status)
