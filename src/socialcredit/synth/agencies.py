"""The feeds of the agencies beyond registration and enforcement, written in manifest order.

Each concern draws from its own random stream, so adding a feed does not change the others.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from socialcredit.synth import conduct, courtorders, market, penalties, rongcheng, tax
from socialcredit.synth.cases import Case
from socialcredit.synth.feeds import RowCounter
from socialcredit.synth.invalid import Corrupter
from socialcredit.synth.records import Feed, Item, World, write_feed

FEEDS: tuple[Feed, ...] = (
    market.REPORTS,
    market.ABNORMAL,
    market.SERIOUS,
    penalties.FEED,
    *tax.FEEDS,
    courtorders.FEED,
    conduct.AIR,
    conduct.RAIL,
    conduct.INSURANCE,
    rongcheng.CONSENT,
    rongcheng.FINDING,
)


def _items(
    world: World, cases: list[Case], stream: Callable[[str], random.Random]
) -> dict[str, list[Item]]:
    """Every feed's items, by file name."""
    reports, no_report = market.annual_reports(world, stream("annual-reports"))
    other = market.other_listings(world, stream("abnormal-listings"))
    consents, findings = rongcheng.residents(world, stream("rongcheng"))
    by_code = {org.code: org for org in world.organisations}
    evaluated = tax.evaluations(world, stream("tax"))
    items = {
        market.REPORTS.file: reports,
        market.ABNORMAL.file: no_report + other,
        market.SERIOUS.file: market.serious_violations(world, stream("serious-violations")),
        penalties.FEED.file: penalties.penalties(world, stream("penalties")),
        tax.MAJOR.file: tax.major_violations(world, stream("major-tax")),
        courtorders.FEED.file: courtorders.orders(stream("orders"), cases, by_code, world.end),
        conduct.AIR.file: conduct.air(world, stream("air")),
        conduct.RAIL.file: conduct.rail(world, stream("rail")),
        conduct.INSURANCE.file: conduct.social_insurance(world, stream("social-insurance")),
        rongcheng.CONSENT.file: consents,
        rongcheng.FINDING.file: findings,
    }
    for feed in tax.FEEDS[:-1]:
        items[feed.file] = evaluated[feed.category]
    return items


def write_agency_feeds(
    folder: Path,
    world: World,
    cases: list[Case],
    stream: Callable[[str], random.Random],
    counter: RowCounter,
    corrupter: Corrupter,
) -> dict[str, int]:
    """Write every feed of FEEDS under ``folder``; return the valid rows of each file."""
    items = _items(world, cases, stream)
    return {
        feed.file: write_feed(folder, feed, items[feed.file], counter, corrupter) for feed in FEEDS
    }
