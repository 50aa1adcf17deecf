"""The courts' feed: enforcement cases, then rows that record how earlier cases ended.

Rows are in the order the courts would send them: by day, a case's row on the day it was
decided, a "performed" or "revoked" row (same doc_no, all fields repeated) on the day it
ended. Case numbers are given in that order, so they rise within each court and year.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from pathlib import Path

from socialcredit.synth import rates
from socialcredit.synth.cases import Case, CaseNumbers, Debtor, money
from socialcredit.synth.dates import add_years
from socialcredit.synth.feeds import ENFORCEMENT_FIELDS, FeedWriter, RowCounter, flag
from socialcredit.synth.invalid import KINDS, Corrupter, Row
from socialcredit.synth.orgs import Organisation, first_case_day
from socialcredit.synth.people import Population

ENFORCEMENT_FILE = "court-enforcement.csv"
AGENCY = "court"
CATEGORY = "court.enforcement_case"


@dataclass(frozen=True)
class EnforcementCounts:
    """What the enforcement feed holds, valid rows only."""

    cases: int
    status_updates: int


def person_debtors(
    population: Population, rng: random.Random, start: dt.date, end: dt.date
) -> list[Debtor]:
    """PERSON_CASE_SHARE of the persons, as adults; among minors only MINOR_CASE_SHARE, whose
    cases are all decided before their eighteenth birthday."""
    sample = rng.sample(range(population.size), round(population.size * rates.PERSON_CASE_SHARE))
    keep_minor = rates.MINOR_CASE_SHARE / rates.PERSON_CASE_SHARE
    debtors = []
    for index in sample:
        person = population.person(index)
        last, minor = end, person.age_on(start) < rates.ADULT_AGE
        if minor:
            if rng.random() >= keep_minor:
                continue
            majority = add_years(person.birth_date, rates.ADULT_AGE)
            last = min(end, majority - dt.timedelta(days=1))
        debtors.append(Debtor(person.code, person.name, person.region, start, last, minor=minor))
    return debtors


def organisation_debtor(organisation: Organisation, start: dt.date, end: dt.date) -> Debtor:
    """An organisation as a debtor, its cases decided after it was registered."""
    first = first_case_day(organisation, start)
    region = organisation.region
    return Debtor(organisation.code, organisation.name, region, first, end, organisation=True)


def case_row(case: Case, doc_no: str, status: str, status_date: dt.date | None) -> Row:
    """The CSV row of a case in the given status."""
    debtor = case.debtor
    return {
        "subject": debtor.code,
        "name": debtor.name,
        "category": CATEGORY,
        "doc_no": doc_no,
        "decided_on": case.decided_on.isoformat(),
        "status": status,
        "status_date": status_date.isoformat() if status_date else "",
        "amount_due": money(case.amount_cents),
        "ground": case.ground,
        "aggravated": flag(case.aggravated),
        "security_sufficient": flag(case.security_sufficient),
        "seized_assets_sufficient": flag(case.seized_assets_sufficient),
        "later_in_order": flag(case.later_in_order),
        "court": debtor.region.court,
    }


def _events(cases: list[Case]) -> list[tuple[dt.date, int, int]]:
    """(day, 0 for the decision or 1 for the ending, case index), in the order to write."""
    events = [(case.decided_on, 0, index) for index, case in enumerate(cases)]
    for index, case in enumerate(cases):
        if case.outcome_on is not None:
            events.append((case.outcome_on, 1, index))
    events.sort()
    return events


def write_enforcement(
    path: Path,
    cases: list[Case],
    numbers: CaseNumbers,
    counter: RowCounter,
    corrupter: Corrupter,
) -> EnforcementCounts:
    """Write the cases and their endings by day; return how many of each were written."""
    doc_nos: dict[int, str] = {}
    updates = 0
    with FeedWriter(path, ENFORCEMENT_FIELDS, KINDS, counter, corrupter) as feed:
        for _, phase, index in _events(cases):
            case = cases[index]
            fresh = functools.partial(numbers.next, case.debtor.region, case.decided_on.year)
            if phase == 0:
                doc_nos[index] = fresh()
                feed.write(case_row(case, doc_nos[index], "active", None), fresh)
            else:
                assert case.outcome is not None
                feed.write(case_row(case, doc_nos[index], case.outcome, case.outcome_on), fresh)
                updates += 1
    return EnforcementCounts(len(cases), updates)
