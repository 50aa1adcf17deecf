"""Deadlines in Chinese working days, by the official calendar (statutory holidays and
adjusted working days) from the ``chinese-calendar`` library.

For a date the library does not cover (it knows the years the State Council has published),
the count falls back to Monday to Friday and says so: ``WorkdayDeadline.exact`` is False.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True, slots=True)
class WorkdayDeadline:
    due: dt.date
    exact: bool


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known from the official calendar)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_workdays(start: dt.date, count: int) -> WorkdayDeadline:
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day, left, exact = start, count, True
    while left > 0:
        day += dt.timedelta(days=1)
        working, known = is_workday(day)
        exact = exact and known
        left -= int(working)
    return WorkdayDeadline(day, exact)
