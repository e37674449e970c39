import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from traad.safety.workdays import add_working_days, is_working_day


def test_weekend_is_skipped():
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 23)  # Monday
    assert add_working_days(friday, 6) == dt.date(2026, 11, 30)


def test_christmas_and_new_year_are_skipped():
    # 24 Dec is not a public holiday in the holidays package; 25, 26 Dec and 1 Jan are.
    assert not is_working_day(dt.date(2026, 12, 25))
    assert not is_working_day(dt.date(2026, 12, 26))
    assert not is_working_day(dt.date(2027, 1, 1))
    assert add_working_days(dt.date(2026, 12, 23), 6) == dt.date(2027, 1, 4)


def test_easter_is_skipped():
    # Maundy Thursday 2 Apr, Good Friday 3 Apr, Easter Monday 6 Apr 2026.
    assert add_working_days(dt.date(2026, 4, 1), 1) == dt.date(2026, 4, 7)


@given(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=1, max_value=20),
)
def test_result_is_a_working_day_after_start(start, days):
    result = add_working_days(start, days)
    assert result > start
    assert is_working_day(result)
    between = [start + dt.timedelta(days=n) for n in range(1, (result - start).days + 1)]
    assert sum(is_working_day(day) for day in between) == days
