"""The tax authority's credit feeds: evaluation statuses, deductions, direct-D conduct,
consecutive-A findings and major tax violations, all of organisations.

Each organisation is evaluated every April for the past tax year: newly established ones and
some without operating income get a status record, some get deductions, a few direct-D
conduct; three clean years in a row may earn a consecutive-A finding.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.cases import money
from socialcredit.synth.feeds import flag
from socialcredit.synth.orgs import Organisation
from socialcredit.synth.records import Feed, Item, World, choose, count_of, day_in

STATUS = Feed(
    "sta-evaluation-status.csv",
    "sta",
    "sta.credit_evaluation_status",
    ("tax_year", "newly_established", "no_operating_income", "non_recurring_info_incomplete"),
    "税信评",
)
DEDUCTION = Feed(
    "sta-credit-deductions.csv",
    "sta",
    "sta.credit_deduction",
    ("points", "tax_year", "indicator"),
    "税信扣",
)
DIRECT_D = Feed(
    "sta-direct-d.csv",
    "sta",
    "sta.direct_d_conduct",
    ("conduct", "criminal", "evaded_tax", "tax_due_total", "directly_responsible_person"),
    "税稽罚",
)
CONSECUTIVE_A = Feed(
    "sta-consecutive-a.csv",
    "sta",
    "sta.consecutive_a_finding",
    ("consecutive_years", "last_tax_year"),
    "税信A",
)
MAJOR = Feed(
    "sta-major-violations.csv",
    "sta",
    "sta.major_violation_determination",
    (
        "circumstance",
        "amount",
        "worst_year_unpaid_tax",
        "worst_year_tax_due",
        "invoice_count",
        "criminal",
        "published_on",
    ),
    "税重违",
)
FEEDS = (STATUS, DEDUCTION, DIRECT_D, CONSECUTIVE_A, MAJOR)


def _yuan(rng: random.Random, median: float, sigma: float) -> int:
    return max(1, round(rng.lognormvariate(math.log(median), sigma)))


def _direct_d(rng: random.Random, org: Organisation, day: dt.date) -> Item:
    conduct = choose(rng, ar.DIRECT_D_WEIGHTS)
    evaded = _yuan(rng, ar.EVADED_MEDIAN_YUAN, ar.EVADED_SIGMA)
    due = round(evaded / rng.uniform(*ar.EVADED_SHARE_RANGE))
    evasion = conduct == "evasion"
    fields = {
        "conduct": conduct,
        "criminal": flag(rng.random() < ar.CRIMINAL_SHARE),
        "evaded_tax": money(evaded * 100) if evasion else "",
        "tax_due_total": money(due * 100) if evasion else "",
        "directly_responsible_person": org.legal_representative.code,
    }
    return Item(org.code, org.name, day, fields)


class _Evaluation:
    """The items of one evaluation round, per feed."""

    def __init__(self) -> None:
        self.items: dict[str, list[Item]] = {feed.category: [] for feed in FEEDS}

    def add(self, feed: Feed, item: Item) -> None:
        self.items[feed.category].append(item)


def _year(rng: random.Random, org: Organisation, year: int, day: dt.date, out: _Evaluation) -> bool:
    """Evaluate one organisation for one tax year; True when the year was clean."""
    new = org.registered_on.year == year
    no_income = not new and rng.random() < ar.NO_INCOME_SHARE
    if new or no_income:
        fields = {
            "tax_year": str(year),
            "newly_established": flag(new),
            "no_operating_income": flag(no_income),
            "non_recurring_info_incomplete": flag(rng.random() < ar.INCOMPLETE_INFORMATION_SHARE),
        }
        out.add(STATUS, Item(org.code, org.name, day, fields))
    clean = not (new or no_income)
    if rng.random() < ar.DEDUCTION_SHARE:
        clean = False
        for _ in range(1 + int(rng.random() < ar.EXTRA_DEDUCTION_PROBABILITY)):
            points, _, indicator = choose(rng, ar.DEDUCTION_WEIGHTS).partition("|")
            fields = {"points": points, "tax_year": str(year), "indicator": indicator}
            out.add(DEDUCTION, Item(org.code, org.name, day, fields))
    if rng.random() < ar.DIRECT_D_SHARE:
        clean = False
        out.add(DIRECT_D, _direct_d(rng, org, day))
    return clean


def evaluations(world: World, rng: random.Random) -> dict[str, list[Item]]:
    """The yearly evaluation records of every organisation, by category."""
    out = _Evaluation()
    for org in world.organisations:
        streak = 0
        for year in range(max(org.registered_on.year, world.start.year - 1), world.end.year):
            day = dt.date(year + 1, ar.EVALUATION_MONTH, rng.randint(1, 30))
            if day > world.end:
                break
            streak = streak + 1 if _year(rng, org, year, day, out) else 0
            if streak >= ar.CONSECUTIVE_A_YEARS and rng.random() < ar.CONSECUTIVE_A_SHARE:
                fields = {"consecutive_years": str(streak), "last_tax_year": str(year)}
                out.add(CONSECUTIVE_A, Item(org.code, org.name, day, fields))
    _ensure_direct_d(world, rng, out)
    return out.items


def _ensure_direct_d(world: World, rng: random.Random, out: _Evaluation) -> None:
    """At least DIRECT_D_MIN direct-D records, however small the nation."""
    while len(out.items[DIRECT_D.category]) < ar.DIRECT_D_MIN:
        day = day_in(rng, world.start, world.end)
        out.add(DIRECT_D, _direct_d(rng, world.organisation(rng, day, 90), day))


def major_violations(world: World, rng: random.Random) -> list[Item]:
    """Major tax violations, determined and published from the day the list exists."""
    items = []
    for _ in range(
        count_of(len(world.organisations), ar.MAJOR_VIOLATION_SHARE, ar.MAJOR_VIOLATION_MIN)
    ):
        day = day_in(rng, max(world.start, ar.MAJOR_VIOLATION_FROM), world.end)
        org = world.organisation(rng, day, ar.FIRST_LISTING_AFTER_REGISTRATION_DAYS)
        circumstance = choose(rng, ar.MAJOR_VIOLATION_WEIGHTS)
        amount = _yuan(rng, ar.MAJOR_AMOUNT_MEDIAN_YUAN, ar.MAJOR_AMOUNT_SIGMA)
        evasion = circumstance == "evasion"
        published = min(world.end, day + dt.timedelta(days=rng.randint(5, 30)))
        fields = {
            "circumstance": circumstance,
            "amount": money(amount * 100),
            "worst_year_unpaid_tax": money(amount * 60) if evasion else "",
            "worst_year_tax_due": money(amount * 100 * rng.randint(2, 20)) if evasion else "",
            "invoice_count": str(rng.randint(20, 400))
            if circumstance == "false_ordinary_invoices"
            else "",
            "criminal": flag(rng.random() < ar.CRIMINAL_SHARE),
            "published_on": published.isoformat(),
        }
        paid = day + dt.timedelta(days=rng.randint(30, 400))
        done = rng.random() < ar.MAJOR_PAID_SHARE and paid <= world.end
        items.append(Item(org.code, org.name, day, fields, ("performed", paid) if done else None))
    return items
