"""Deadlines in Chinese working days, by the official calendar (statutory holidays and
adjusted working days) from the ``chinese-calendar`` library.

For a year the library does not cover (the State Council publishes each year's schedule in
late autumn; the library knows the years published before its release), the count falls back
to the fixed statutory holidays of the national holiday measures (全国年节及纪念日放假办法, as
revised in 2024, in force 2025-01-01): New Year's Day, the Spring Festival (lunar New Year's Eve
and the first three days of the first lunar month), Qingming (the solar term's day), Labour Day
(1 and 2 May), the Dragon Boat Festival (5th day of the 5th lunar month), Mid-Autumn (15th day
of the 8th lunar month) and National Day (1 to 3 October), with a weekday off in lieu of each
such holiday that falls on a weekend (Art. 6). The yearly swaps of weekends and weekdays that
make the long breaks cannot be foreseen, so such a date is marked approximate:
``WorkdayDeadline.exact`` is False.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WorkdayDeadline:
    due: dt.date
    exact: bool


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known from the official calendar)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5 and day not in statutory_days_off(day.year), False


def add_workdays(start: dt.date, count: int) -> WorkdayDeadline:
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day, left, exact = start, count, True
    while left > 0:
        day += DAY
        working, known = is_workday(day)
        exact = exact and known
        left -= int(working)
    return WorkdayDeadline(day, exact)


def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The fixed statutory holidays of ``year`` under the 2024 holiday measures (11 days)."""
    new_year = _lunar(year, 1, 1)
    days = {dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 5, 2)}
    days |= {new_year - DAY, new_year, new_year + DAY, new_year + 2 * DAY}
    days |= {_qingming(year), _lunar(year, 5, 5), _lunar(year, 8, 15)}
    days |= {dt.date(year, 10, 1), dt.date(year, 10, 2), dt.date(year, 10, 3)}
    return frozenset(days)


@lru_cache(maxsize=64)
def statutory_days_off(year: int) -> frozenset[dt.date]:
    """The statutory holidays of ``year`` and, for each that falls on a Saturday or Sunday,
    the next weekday that is not itself a holiday (the day off in lieu)."""
    holidays = statutory_holidays(year) | statutory_holidays(year - 1)
    off = set(holidays)
    for day in sorted(holidays):
        if day.weekday() >= 5:
            lieu = day + DAY
            while lieu.weekday() >= 5 or lieu in off:
                lieu += DAY
            off.add(lieu)
    return frozenset(d for d in off if d.year == year)


def _lunar(year: int, month: int, day: int) -> dt.date:
    solar: dt.date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> dt.date:
    terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    day: dt.date = next(day for day, name in terms if name == "清明")
    return day
