"""Rongcheng's personal credit score: residents' consents and the city's findings.

Consenting persons are adults drawn from the whole nation (the pack does not check the
division of the ID number: a resident of Rongcheng may have been born anywhere); each has a
geometric number of findings, some before the consent (kept, and counted once consent is
given).
"""

from __future__ import annotations

import datetime as dt
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.dates import add_years
from socialcredit.synth.people import Person
from socialcredit.synth.records import Feed, Item, World, choose, count_of, day_in

CONSENT = Feed(
    "rongcheng-consents.csv",
    "local-government",
    "rongcheng.consent",
    ("resident_since", "residence_basis"),
    "荣信授",
)
FINDING = Feed(
    "rongcheng-findings.csv",
    "local-government",
    "rongcheng.finding",
    ("conduct", "monthly_cycles", "points"),
    "荣信认",
)


def _consent(rng: random.Random, person: Person, day: dt.date, end: dt.date) -> Item:
    earliest = max(person.birth_date, add_years(day, -ar.RONGCHENG_RESIDENCE_YEARS_MAX))
    household = rng.random() < ar.HOUSEHOLD_REGISTRATION_SHARE
    fields = {
        "resident_since": day_in(rng, earliest, day).isoformat(),
        "residence_basis": "household_registration" if household else "residence_permit",
    }
    withdrawn = day_in(rng, day, end) if rng.random() < ar.CONSENT_WITHDRAWN_SHARE else None
    return Item(
        person.code, person.name, day, fields, ("revoked", withdrawn) if withdrawn else None
    )


def _finding(rng: random.Random, person: Person, world: World) -> Item:
    conduct = choose(rng, ar.RONGCHENG_CONDUCT_WEIGHTS)
    cycles = rng.randint(1, ar.BANK_ARREARS_CYCLES_MAX) if conduct == "bank_arrears" else None
    other = conduct == "other_commercial_untrustworthiness"
    points = -rng.randint(*ar.OTHER_COMMERCIAL_POINTS) if other else None
    fields = {
        "conduct": conduct,
        "monthly_cycles": "" if cycles is None else str(cycles),
        "points": "" if points is None else str(points),
    }
    day = day_in(rng, max(world.start, ar.RONGCHENG_FROM), world.end)
    return Item(person.code, person.name, day, fields)


def residents(world: World, rng: random.Random) -> tuple[list[Item], list[Item]]:
    """Consents of RONGCHENG_CONSENT_SHARE of the persons, and their findings."""
    consents: list[Item] = []
    findings: list[Item] = []
    seen: set[str] = set()
    wanted = count_of(world.population.size, ar.RONGCHENG_CONSENT_SHARE, ar.RONGCHENG_CONSENT_MIN)
    for _ in range(wanted):
        day = day_in(rng, max(world.start, ar.RONGCHENG_FROM), world.end)
        person = world.adult(day)
        if person.code in seen:
            continue
        seen.add(person.code)
        consents.append(_consent(rng, person, day, world.end))
        while rng.random() < ar.RONGCHENG_FINDING_PROBABILITY:
            findings.append(_finding(rng, person, world))
    return consents, findings
