"""Findings behind the joint-sanction lists: air and rail passengers, social insurance.

Passengers are adults drawn from the whole nation; social-insurance findings are mostly
against employers (organisations), a few against persons (insurance fraud).
"""

from __future__ import annotations

import datetime as dt
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.records import Feed, Item, World, choose, count_of, day_in, iso

AIR = Feed(
    "caac-passenger-misconduct.csv",
    "caac",
    "caac.passenger_misconduct",
    ("conduct", "sanction", "listed_on", "airport"),
    "民航失信",
)
RAIL = Feed(
    "railway-passenger-misconduct.csv",
    "china-railway",
    "railway.passenger_misconduct",
    ("conduct", "listed_on", "train"),
    "铁路失信",
)
INSURANCE = Feed(
    "mohrss-social-insurance.csv",
    "mohrss",
    "mohrss.social_insurance_violation",
    ("conduct",),
    "人社失信",
)
AIRPORTS = (
    "北京首都国际机场",
    "北京大兴国际机场",
    "上海浦东国际机场",
    "上海虹桥国际机场",
    "广州白云国际机场",
    "深圳宝安国际机场",
    "成都天府国际机场",
    "重庆江北国际机场",
    "昆明长水国际机场",
    "西安咸阳国际机场",
    "杭州萧山国际机场",
    "武汉天河国际机场",
)
TRAIN_LETTERS = "GDKTZ"


def _revoked(rng: random.Random, day: dt.date, end: dt.date) -> tuple[str, dt.date] | None:
    """A revocation within the period for FINDING_REVOKED_SHARE of the findings."""
    if rng.random() >= ar.FINDING_REVOKED_SHARE:
        return None
    on = day_in(rng, day + dt.timedelta(days=10), day + dt.timedelta(days=180))
    return ("revoked", on) if on <= end else None


def _listed_on(rng: random.Random, day: dt.date, end: dt.date) -> dt.date:
    return min(end, day + dt.timedelta(days=rng.randint(0, ar.LISTING_DELAY_DAYS)))


def air(world: World, rng: random.Random) -> list[Item]:
    """Air passengers found to have misbehaved, from the day the list exists."""
    items = []
    for _ in range(
        count_of(world.population.size, ar.AIR_MISCONDUCT_SHARE, ar.PASSENGER_MISCONDUCT_MIN)
    ):
        day = day_in(rng, max(world.start, ar.PASSENGER_LISTS_FROM), world.end)
        person = world.adult(day)
        sanction = choose(rng, ar.AIR_SANCTION_WEIGHTS)
        listed = _listed_on(rng, day, world.end) if sanction != "none" else None
        fields = {
            "conduct": choose(rng, ar.AIR_CONDUCT_WEIGHTS),
            "sanction": sanction,
            "listed_on": iso(listed),
            "airport": rng.choice(AIRPORTS),
        }
        items.append(Item(person.code, person.name, day, fields, _revoked(rng, day, world.end)))
    return items


def rail(world: World, rng: random.Random) -> list[Item]:
    """Rail passengers found to have misbehaved, from the day the list exists."""
    items = []
    for _ in range(
        count_of(world.population.size, ar.RAIL_MISCONDUCT_SHARE, ar.PASSENGER_MISCONDUCT_MIN)
    ):
        day = day_in(rng, max(world.start, ar.PASSENGER_LISTS_FROM), world.end)
        person = world.adult(day)
        fields = {
            "conduct": choose(rng, ar.RAIL_CONDUCT_WEIGHTS),
            "listed_on": _listed_on(rng, day, world.end).isoformat(),
            "train": f"{rng.choice(TRAIN_LETTERS)}{rng.randint(1, 9999)}",
        }
        items.append(Item(person.code, person.name, day, fields, _revoked(rng, day, world.end)))
    return items


def social_insurance(world: World, rng: random.Random) -> list[Item]:
    """Employers and persons found seriously untrustworthy in social insurance."""
    first = max(world.start, ar.SOCIAL_INSURANCE_FROM)
    items = []
    for _ in range(
        count_of(len(world.organisations), ar.SOCIAL_INSURANCE_ORG_SHARE, ar.SOCIAL_INSURANCE_MIN)
    ):
        day = day_in(rng, first, world.end)
        org = world.organisation(rng, day, ar.FIRST_LISTING_AFTER_REGISTRATION_DAYS)
        fields = {"conduct": choose(rng, ar.SOCIAL_INSURANCE_ORG_WEIGHTS)}
        items.append(Item(org.code, org.name, day, fields, _revoked(rng, day, world.end)))
    for _ in range(
        count_of(world.population.size, ar.SOCIAL_INSURANCE_PERSON_SHARE, ar.SOCIAL_INSURANCE_MIN)
    ):
        day = day_in(rng, first, world.end)
        person = world.adult(day)
        fields = {"conduct": choose(rng, ar.SOCIAL_INSURANCE_PERSON_WEIGHTS)}
        items.append(Item(person.code, person.name, day, fields, _revoked(rng, day, world.end)))
    return items
