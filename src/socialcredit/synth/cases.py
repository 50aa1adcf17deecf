"""Enforcement cases with a finding of dishonest conduct, and how they end.

Each case is decided on a day within the period, names a ground of spc-2017 art. 1, and may
later be performed by the debtor or end otherwise (revoked); an ending after the period is
not known and leaves the case active. Case numbers follow the courts' numbering, e.g.
``(2019)京0105执1234号``: year, province, the court's division digits, 执 for enforcement.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass

from socialcredit.synth import rates
from socialcredit.synth.regions import Region

GROUNDS = tuple(ground for ground, _ in rates.GROUND_WEIGHTS)
_GROUND_CUMULATIVE = tuple(itertools.accumulate(weight for _, weight in rates.GROUND_WEIGHTS))
PERFORMED, REVOKED = "performed", "revoked"


@dataclass(frozen=True, slots=True)
class Debtor:
    """Who a case is against, and the days between which its cases are decided."""

    code: str
    name: str
    region: Region
    first_day: dt.date
    last_day: dt.date
    organisation: bool = False
    minor: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    """One enforcement case, with its ending if the period saw one."""

    debtor: Debtor
    decided_on: dt.date
    amount_cents: int
    ground: str
    aggravated: bool
    security_sufficient: bool
    seized_assets_sufficient: bool
    later_in_order: bool
    outcome: str | None
    outcome_on: dt.date | None


class CaseDrawer:
    """Draws the cases of debtors from one random stream; nothing is known after ``end``."""

    def __init__(self, rng: random.Random, end: dt.date) -> None:
        self._rng = rng
        self._end = end

    def cases_of(self, debtor: Debtor) -> list[Case]:
        """One case, and one more with probability EXTRA_CASE_PROBABILITY, repeatedly."""
        count = 1
        while self._rng.random() < rates.EXTRA_CASE_PROBABILITY:
            count += 1
        return [self._case(debtor) for _ in range(count)]

    def _case(self, debtor: Debtor) -> Case:
        rng = self._rng
        span = (debtor.last_day - debtor.first_day).days
        decided = debtor.first_day + dt.timedelta(days=rng.randint(0, span))
        ground = rng.choices(GROUNDS, cum_weights=_GROUND_CUMULATIVE)[0]
        aggravated = ground != "refuses_with_ability" and rng.random() < rates.AGGRAVATED_SHARE
        outcome, outcome_on = self._outcome(decided)
        return Case(
            debtor,
            decided,
            self._amount_cents(debtor.organisation),
            ground,
            aggravated,
            rng.random() < rates.SECURITY_SUFFICIENT_SHARE,
            rng.random() < rates.SEIZED_ASSETS_SUFFICIENT_SHARE,
            rng.random() < rates.LATER_IN_ORDER_SHARE,
            outcome,
            outcome_on,
        )

    def _amount_cents(self, organisation: bool) -> int:
        median, sigma = (
            (rates.ORG_AMOUNT_MEDIAN_YUAN, rates.ORG_AMOUNT_SIGMA)
            if organisation
            else (rates.PERSON_AMOUNT_MEDIAN_YUAN, rates.PERSON_AMOUNT_SIGMA)
        )
        yuan = min(self._rng.lognormvariate(math.log(median), sigma), rates.AMOUNT_MAX_YUAN)
        return max(100_00, round(yuan * 100))

    def _outcome(self, decided: dt.date) -> tuple[str | None, dt.date | None]:
        draw = self._rng.random()
        if draw < rates.PERFORMED_SHARE:
            median = math.log(rates.PERFORMANCE_DAYS_MEDIAN)
            days = max(1, round(self._rng.lognormvariate(median, rates.PERFORMANCE_DAYS_SIGMA)))
            status = PERFORMED
        elif draw < rates.PERFORMED_SHARE + rates.REVOKED_SHARE:
            days = self._rng.randint(*rates.REVOCATION_DAYS)
            status = REVOKED
        else:
            return None, None
        day = decided + dt.timedelta(days=days)
        return (status, day) if day <= self._end else (None, None)


class CaseNumbers:
    """Case numbers, rising within each court and year, never given twice."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._last: dict[tuple[int, str], int] = {}

    def next(self, region: Region, year: int) -> str:
        """The next enforcement case number of the basic court of ``region`` in ``year``."""
        key = (year, region.code)
        number = self._last.get(key, 0) + self._rng.randint(1, rates.CASE_NUMBER_STEP_MAX)
        self._last[key] = number
        return f"({year}){region.abbreviation}{region.code[2:]}执{number}号"


def money(cents: int) -> str:
    """An amount written as yuan with two decimals.

    >>> money(1234505)
    '12345.05'
    """
    return f"{cents // 100}.{cents % 100:02d}"
