"""Organisations of the nation, with valid Unified Social Credit Codes (GB 32100-2015).

A code is ``9`` (market regulation), the type (``1`` enterprise, ``2`` individual
business), the division, a 9-character organisation code and the check character. The
organisation code of an entity registered before the unified code carries its own GB 11714
check character; later ones start with ``MA``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum.cn import uscc

from socialcredit.synth import rates
from socialcredit.synth.names import Names
from socialcredit.synth.people import Person, Population, is_officer_age
from socialcredit.synth.regions import Region, pick_region

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(3**i % 31 for i in range(17))
_USCC_VALUE = {char: value for value, char in enumerate(USCC_ALPHABET)}
GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ENTERPRISE, INDIVIDUAL_BUSINESS = "1", "2"


@dataclass(frozen=True, slots=True)
class Organisation:
    """A registered market entity and the persons who hold its legal positions."""

    code: str
    name: str
    region: Region
    registered_on: dt.date
    legal_representative: Person
    principal: Person | None
    actual_controller: Person | None


def gb11714_check(body: str) -> str:
    """The check character of an 8-character organisation code (GB 11714-1997)."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code(rng: random.Random, registered_on: dt.date) -> str:
    """A 9-character organisation code, in the style of its registration year."""
    if registered_on >= rates.UNIFIED_CODE_FROM:
        body = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))
    else:
        body = f"{rng.randrange(10**8):08d}"
    return body + gb11714_check(body)


def uscc_check(partial: str) -> str:
    """The check character of the first 17 characters of a USCC (GB 32100-2015).

    The same computation as ``stdnum.cn.uscc.calc_check_digit``, without its clean-up of
    the input, which costs more than the sum itself; every code made here is then checked
    with ``stdnum.cn.uscc.validate``, which recomputes it with stdnum's own function.
    """
    pairs = zip(partial, USCC_WEIGHTS, strict=True)
    total = sum(_USCC_VALUE[char] * weight for char, weight in pairs)
    return USCC_ALPHABET[-total % 31]


def make_uscc(kind: str, region_code: str, body: str) -> str:
    """The unified code of a market entity (authority 9) with its check character.

    >>> make_uscc("1", "350100", "M000100Y4")
    '91350100M000100Y43'
    """
    partial = f"9{kind}{region_code}{body}"
    return partial + uscc_check(partial)


class Registry:
    """The ``count`` organisations, registered evenly from REGISTRATIONS_FROM to near ``end``."""

    def __init__(
        self, count: int, end: dt.date, population: Population, names: Names, rng: random.Random
    ) -> None:
        self.count = count
        self._first = rates.REGISTRATIONS_FROM
        self._span = (end - dt.timedelta(days=rates.REGISTRATION_MARGIN_DAYS) - self._first).days
        if self._span < 0:
            raise ValueError(f"the period must end after {self._first}")
        self._population = population
        self._names = names
        self._rng = rng
        self._codes: set[str] = set()
        self._representatives: list[Person] = []

    def registration_day(self, index: int) -> dt.date:
        """The day organisation ``index`` was registered (rising with the index)."""
        return self._first + dt.timedelta(days=index * self._span // max(self.count, 1))

    def organisation(self, index: int) -> Organisation:
        """Draw organisation ``index``; call in index order, once per index."""
        day = self.registration_day(index)
        region = pick_region(self._rng)
        individual = self._rng.random() < rates.INDIVIDUAL_BUSINESS_SHARE
        code = self._unique_code(INDIVIDUAL_BUSINESS if individual else ENTERPRISE, region, day)
        representative = self._representative(day)
        name = (
            self._names.shop(region, representative.surname)
            if individual
            else self._names.company(region)
        )
        principal = self._officer(day, representative, rates.PRINCIPAL_SHARE)
        controller = self._officer(day, representative, rates.ACTUAL_CONTROLLER_SHARE)
        return Organisation(code, name, region, day, representative, principal, controller)

    def _representative(self, day: dt.date) -> Person:
        if self._representatives and self._rng.random() < rates.REPEAT_REPRESENTATIVE_SHARE:
            earlier = self._rng.choice(self._representatives)
            if is_officer_age(earlier, day):
                return earlier
        person = self._population.officer(day)
        self._representatives.append(person)
        return person

    def _officer(self, day: dt.date, representative: Person, share: float) -> Person | None:
        if self._rng.random() >= share:
            return None
        return self._population.officer(day, other_than=representative.code)

    def _unique_code(self, kind: str, region: Region, day: dt.date) -> str:
        while True:
            code = make_uscc(kind, region.code, organisation_code(self._rng, day))
            if code not in self._codes:
                self._codes.add(uscc.validate(code))
                return code


def first_case_day(organisation: Organisation, start: dt.date) -> dt.date:
    """The earliest day a case against the organisation is decided in the synthetic nation."""
    after_registration = organisation.registered_on + dt.timedelta(
        days=rates.FIRST_CASE_AFTER_REGISTRATION_DAYS
    )
    return max(start, after_registration)
