"""The market regulator's publicity feeds: annual reports, abnormal-operations listings,
serious-violation listings.

Every organisation reports each year within the window (1 January - 30 June) with
ANNUAL_REPORT_FILED_SHARE; a missing report is listed after the window, and a share of the
listings is cured later (the late report is then filed that day). Other causes of listing
and serious violations are drawn as counts over the organisations.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.dates import add_years
from socialcredit.synth.feeds import flag
from socialcredit.synth.orgs import Organisation
from socialcredit.synth.records import Feed, Item, World, choose, count_of, day_in, iso

REPORTS = Feed(
    "samr-annual-reports.csv",
    "samr",
    "samr.annual_report",
    ("report_year", "optional_items_published"),
    "年报",
)
ABNORMAL = Feed(
    "samr-abnormal-operations.csv",
    "samr",
    "samr.abnormal_operations_listing",
    ("cause", "report_year", "ordered_deadline", "authority"),
    "市监异常",
)
SERIOUS = Feed(
    "samr-serious-violations.csv",
    "samr",
    "samr.serious_violation_listing",
    (
        "penalty_type",
        "vile_serious_high_harm",
        "sector",
        "penalty_doc_no",
        "penalty_published_on",
        "ban_ends_on",
        "harm_removed_on",
        "later_heavy_penalty_on",
    ),
    "市监严违",
)
OTHER_CAUSES = (
    ("unreachable_at_registered_address", ar.UNREACHABLE_SHARE),
    ("false_information", ar.FALSE_INFORMATION_SHARE),
    ("ordered_information_not_published", ar.ORDERED_INFORMATION_SHARE),
)


def authority(organisation: Organisation) -> str:
    """The market regulation bureau of the organisation's division."""
    return f"{organisation.region.county}市场监督管理局"


def _cure(rng: random.Random, day: dt.date, end: dt.date) -> dt.date | None:
    """The day a listing is cured, for LISTING_CURED_SHARE of them, if within the period."""
    if rng.random() >= ar.LISTING_CURED_SHARE:
        return None
    median = math.log(ar.LISTING_CURE_DAYS_MEDIAN)
    days = max(1, round(rng.lognormvariate(median, ar.LISTING_CURE_DAYS_SIGMA)))
    cured = day + dt.timedelta(days=days)
    return cured if cured <= end else None


def _report(org: Organisation, year: int, day: dt.date, rng: random.Random) -> Item:
    fields = {"report_year": str(year), "optional_items_published": flag(rng.random() < 0.5)}
    return Item(org.code, org.name, day, fields)


def _report_year(
    rng: random.Random, org: Organisation, year: int, end: dt.date
) -> tuple[list[Item], list[Item]]:
    """The report of one organisation for one year, or its listing (and late report)."""
    window = dt.date(year + 1, 1, 1)
    if rng.random() < ar.ANNUAL_REPORT_FILED_SHARE:
        filed = day_in(rng, window, min(end, dt.date(year + 1, 6, 30)))
        return [_report(org, year, filed, rng)], []
    listed = dt.date(year + 1, 7, 1) + dt.timedelta(days=rng.randint(*ar.NO_REPORT_LISTING_DAYS))
    if listed > end:
        return [], []
    cured = _cure(rng, listed, end)
    fields = {
        "cause": "no_annual_report",
        "report_year": str(year),
        "ordered_deadline": "",
        "authority": authority(org),
    }
    listing = Item(org.code, org.name, listed, fields, ("performed", cured) if cured else None)
    return ([_report(org, year, cured, rng)] if cured else []), [listing]


def annual_reports(world: World, rng: random.Random) -> tuple[list[Item], list[Item]]:
    """Annual reports of every organisation for each year whose window opens in the period,
    and the listings of the reports not filed."""
    reports: list[Item] = []
    listings: list[Item] = []
    for org in world.organisations:
        first = max(org.registered_on.year, world.start.year - 1)
        for year in range(first, world.end.year):
            filed, listed = _report_year(rng, org, year, world.end)
            reports += filed
            listings += listed
    return reports, listings


def other_listings(world: World, rng: random.Random) -> list[Item]:
    """Listings for being unreachable, false information or ordered information unpublished."""
    years = (world.end - world.start).days / 365.25
    items = []
    for cause, share in OTHER_CAUSES:
        count = count_of(round(len(world.organisations) * years), share, ar.OTHER_CAUSE_MIN)
        for _ in range(count):
            day = day_in(rng, world.start, world.end)
            org = world.organisation(rng, day, ar.FIRST_LISTING_AFTER_REGISTRATION_DAYS)
            deadline = day - dt.timedelta(days=rng.randint(*ar.ORDERED_DEADLINE_DAYS))
            ordered = cause == "ordered_information_not_published"
            fields = {
                "cause": cause,
                "report_year": "",
                "ordered_deadline": iso(deadline) if ordered else "",
                "authority": authority(org),
            }
            cured = _cure(rng, day, world.end)
            items.append(
                Item(org.code, org.name, day, fields, ("performed", cured) if cured else None)
            )
    return items


def serious_violations(world: World, rng: random.Random) -> list[Item]:
    """Serious-violation listings of organisations, from the day the list exists."""
    items = []
    count = count_of(len(world.organisations), ar.SERIOUS_VIOLATION_SHARE, ar.SERIOUS_VIOLATION_MIN)
    for _ in range(count):
        day = day_in(rng, max(world.start, ar.SERIOUS_VIOLATION_FROM), world.end)
        org = world.organisation(rng, day, ar.FIRST_LISTING_AFTER_REGISTRATION_DAYS)
        penalty = choose(rng, ar.SERIOUS_PENALTY_WEIGHTS)
        published = day - dt.timedelta(days=rng.randint(0, 30))
        number = rng.randint(1, 999)
        banned = penalty in ("permit_revoked", "practice_restricted")
        ban_ends = add_years(day, rng.randint(1, ar.BAN_YEARS_MAX)) if banned else None
        fields = {
            "penalty_type": penalty,
            "vile_serious_high_harm": flag(rng.random() < ar.VILE_SERIOUS_HIGH_HARM_SHARE),
            "sector": rng.choice(ar.SECTORS),
            "penalty_doc_no": f"{org.region.county}市监罚〔{published.year}〕{number}号",
            "penalty_published_on": published.isoformat(),
            "ban_ends_on": iso(ban_ends),
            "harm_removed_on": "",
            "later_heavy_penalty_on": "",
        }
        items.append(Item(org.code, org.name, day, fields))
    return items
