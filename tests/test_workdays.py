"""Working days: the official calendar where chinese-calendar has it, the fixed statutory
holidays after its last year (issue 15 item 8)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from socialcredit.core.workdays import add_workdays, is_workday, statutory_days_off

D = dt.date


def test_issue_example_skips_new_years_day_2027() -> None:
    """15 working days from 2026-12-20 gave 2027-01-08 (1 January counted as working)."""
    deadline = add_workdays(D(2026, 12, 20), 15)
    assert deadline.due == D(2027, 1, 11)
    assert deadline.exact is False


def test_known_year_is_exact() -> None:
    deadline = add_workdays(D(2026, 9, 29), 3)
    assert (deadline.due, deadline.exact) == (D(2026, 10, 9), True)


def test_2027_statutory_holidays() -> None:
    off = statutory_days_off(2027)
    # Spring Festival 2027: lunar New Year on 6 February; eve 5 February, days to 8 February.
    assert {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)} <= off
    assert D(2027, 4, 5) in off  # Qingming
    assert {D(2027, 5, 1), D(2027, 5, 2)} <= off  # Labour Day (2 days since 2025)
    assert D(2027, 6, 9) in off  # Dragon Boat, 5th day of the 5th lunar month
    assert D(2027, 9, 15) in off  # Mid-Autumn
    assert {D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)} <= off


def test_holiday_on_a_weekend_gives_a_weekday_off() -> None:
    # 1 and 2 May 2027 are a Saturday and a Sunday: Monday 3 and Tuesday 4 May are off.
    assert {D(2027, 5, 3), D(2027, 5, 4)} <= statutory_days_off(2027)
    assert is_workday(D(2027, 5, 3)) == (False, False)
    assert is_workday(D(2027, 5, 6)) == (True, False)


@pytest.mark.parametrize("year", [2025, 2026])
def test_fallback_never_marks_an_official_working_day_as_off(year: int) -> None:
    """Checked against the years the library knows: every weekday the fallback takes off is
    an official holiday (the fallback misses the swaps, never invents a holiday)."""
    official = set(
        chinese_calendar.get_holidays(D(year, 1, 1), D(year, 12, 31), include_weekends=False)
    )
    assert {d for d in statutory_days_off(year) if d.weekday() < 5} <= official
