"""Administrative penalties of the market regulator, as publicised (credit-repair pack).

Drawn as a count over organisations and years; the tier follows the kind of penalty and the
fine; most are performed (fine paid, order complied with) within weeks. No penalty here
applies for credit repair: a repair would change the record's fields after the decision.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.cases import money
from socialcredit.synth.feeds import flag
from socialcredit.synth.market import authority
from socialcredit.synth.records import Feed, Item, World, choose, count_of, day_in

FEED = Feed(
    "samr-penalties.csv",
    "samr",
    "admin.penalty_decision",
    (
        "penalty_type",
        "tier",
        "summary_procedure",
        "heavy_penalty",
        "criticism_or_lower_fine_only",
        "fine_amount",
        "published_on",
        "authority",
    ),
    "市监处罚",
)


def _fine_cents(rng: random.Random) -> int:
    yuan = rng.lognormvariate(math.log(ar.FINE_MEDIAN_YUAN), ar.FINE_SIGMA)
    return max(100_00, round(yuan) * 100)


def _tier(penalty: str, fine_yuan: int) -> str:
    if penalty in ar.SERIOUS_PENALTY_TYPES or fine_yuan >= ar.SERIOUS_FINE_MIN_YUAN:
        return "serious"
    if penalty == "warning" or 0 < fine_yuan <= ar.SUMMARY_FINE_MAX_YUAN:
        return "minor"
    return "general"


def _penalty_fields(rng: random.Random, day: dt.date, authority_name: str) -> dict[str, str]:
    penalty = choose(rng, ar.PENALTY_TYPE_WEIGHTS)
    cents = _fine_cents(rng) if penalty == "fine" else 0
    tier = _tier(penalty, cents // 100)
    light = penalty == "warning" or 0 < cents // 100 <= ar.SUMMARY_FINE_MAX_YUAN
    published = day + dt.timedelta(days=rng.randint(*ar.PUBLICATION_DAYS))
    return {
        "penalty_type": penalty,
        "tier": tier,
        "summary_procedure": flag(light),
        "heavy_penalty": flag(tier == "serious"),
        "criticism_or_lower_fine_only": flag(light),
        "fine_amount": money(cents) if cents else "",
        "published_on": published.isoformat(),
        "authority": authority_name,
    }


def penalties(world: World, rng: random.Random) -> list[Item]:
    """PENALTY_SHARE of the organisations penalised each year of the period."""
    years = (world.end - world.start).days / 365.25
    items = []
    for _ in range(
        count_of(round(len(world.organisations) * years), ar.PENALTY_SHARE, ar.PENALTY_MIN)
    ):
        day = day_in(rng, world.start, world.end)
        org = world.organisation(rng, day, ar.FIRST_LISTING_AFTER_REGISTRATION_DAYS)
        fields = _penalty_fields(rng, day, authority(org))
        performed = day + dt.timedelta(days=rng.randint(*ar.PENALTY_PERFORMED_DAYS))
        done = rng.random() < ar.PENALTY_PERFORMED_SHARE and performed <= world.end
        items.append(
            Item(org.code, org.name, day, fields, ("performed", performed) if done else None)
        )
    return items
