"""Persons of a synthetic nation as (resident ID number, name, region), for linkage tests and
the linkage benchmark: the same deterministic population the synthetic feeds draw from."""

from __future__ import annotations

import datetime as dt
import random

from socialcredit.synth.names import Names
from socialcredit.synth.people import Population


def synthetic_persons(size: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """``size`` persons of the synthetic nation of ``seed``."""
    population = Population(size, dt.date(2015, 1, 1), random.Random(seed), Names(seed))
    found = []
    for index in range(size):
        person = population.person(index)
        found.append((person.code, person.name, person.region.code))
    return found
