"""Built-in functions of the rule language. Each propagates null as SQL does.

>>> add_interval(dt.date(2020, 2, 29), Interval(years=1))
datetime.date(2021, 2, 28)
>>> age(dt.date(2000, 6, 2), dt.date(2018, 6, 1))
17
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Interval:
    """A calendar interval, as SQL's INTERVAL: years, months and days."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __neg__(self) -> Interval:
        return Interval(-self.years, -self.months, -self.days)


def add_interval(day: dt.date, interval: Interval) -> dt.date:
    """Add an interval to a date; the 29th of February plus a year is the 28th (as in SQL)."""
    months = day.month - 1 + interval.months + 12 * interval.years
    year, month = day.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=interval.days)


def age(birth: dt.date, on: dt.date) -> int:
    """Full years of age on a date."""
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def days_between(start: dt.date, end: dt.date) -> int:
    """Days from start to end (negative when end comes first)."""
    return (end - start).days


@dataclass(frozen=True, slots=True)
class Function:
    """A built-in function: its arity, argument kinds and implementation."""

    name: str
    params: tuple[str, ...]
    implementation: Callable[..., Any]
    summary: str
    variadic: bool = False


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("years", ("n",), lambda n: Interval(years=int(n)), "an interval of n years"),
        Function("months", ("n",), lambda n: Interval(months=int(n)), "an interval of n months"),
        Function("days", ("n",), lambda n: Interval(days=int(n)), "an interval of n days"),
        Function("age", ("birth_date", "on"), age, "full years of age on a date"),
        Function("days_between", ("start", "end"), days_between, "days from start to end"),
    )
}
COALESCE = "coalesce"  # variadic, and not null-propagating: handled by the evaluator
# Variadic too, and they skip nulls (null only when every argument is null), as PostgreSQL's
# GREATEST and LEAST do; the SQL compiler must keep that meaning on every engine.
EXTREMES = ("greatest", "least")
VARIADIC = (COALESCE, *EXTREMES)


def arity_problem(name: str, count: int) -> str | None:
    """Why a call of ``name`` with ``count`` arguments is wrong, or None."""
    if name in VARIADIC:
        return None if count >= 1 else f"{name}() needs at least one argument"
    function = FUNCTIONS.get(name)
    if function is None:
        known = ", ".join(sorted([*FUNCTIONS, *VARIADIC]))
        return f"unknown function {name}(); the functions are {known}"
    if count != len(function.params):
        return f"{name}() takes {len(function.params)} argument(s), not {count}"
    return None
