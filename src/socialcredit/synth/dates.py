"""Small date helpers: whole years, ages and uniform draws between two days."""

from __future__ import annotations

import datetime as dt
import random


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - int(before_birthday)


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day drawn uniformly from ``first`` to ``last``, both included."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))
