"""The natural persons of the nation, with valid resident ID numbers (GB 11643-1999).

A nation of a million persons is mostly people with no record at all, who appear in no feed.
So a person is drawn only when first referred to (as an officer of an organisation or as a
debtor), by index; the same index always gives the same person. Work and memory grow with the
persons referred to, not with the size of the nation.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum.cn import ric

from socialcredit.synth import rates
from socialcredit.synth.dates import add_years, age_on, day_between
from socialcredit.synth.names import Names
from socialcredit.synth.regions import Region, pick_region

MAX_DRAWS = 10_000


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person: ID number, name, birth date, sex and the division of the number."""

    code: str
    name: str
    surname: str
    birth_date: dt.date
    male: bool
    region: Region

    def age_on(self, day: dt.date) -> int:
        """Completed years of age on ``day``."""
        return age_on(self.birth_date, day)


def make_ric(region_code: str, birth: dt.date, sequence: int) -> str:
    """The resident ID number for a division, birth date and 3-digit sequence number.

    >>> make_ric("110105", dt.date(1949, 12, 31), 2)
    '11010519491231002X'
    """
    body = f"{region_code}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


class Population:
    """The ``size`` persons of the nation, drawn on first reference from ``rng`` and ``names``."""

    def __init__(self, size: int, start: dt.date, rng: random.Random, names: Names) -> None:
        if size < 1:
            raise ValueError("a nation needs at least one person")
        self.size = size
        self._rng = rng
        self._names = names
        self._known: dict[int, Person] = {}
        self._codes: set[str] = set()
        self._checked_regions: set[str] = set()
        self._earliest = add_years(start, -(rates.AGE_MAX_AT_START + 1)) + dt.timedelta(days=1)
        self._latest = add_years(start, -rates.AGE_MIN_AT_START)

    def person(self, index: int) -> Person:
        """Person number ``index`` (0 <= index < size)."""
        known = self._known.get(index)
        if known is None:
            known = self._known[index] = self._draw()
        return known

    def random_person(self) -> Person:
        """A person drawn uniformly from the nation."""
        return self.person(self._rng.randrange(self.size))

    def officer(self, day: dt.date, other_than: str = "") -> Person:
        """A person of officer age on ``day`` (see rates), other than the one with that code."""
        for _ in range(MAX_DRAWS):
            candidate = self.random_person()
            if candidate.code != other_than and is_officer_age(candidate, day):
                return candidate
        raise ValueError(
            f"no person of officer age on {day} among {self.size}; make the nation larger"
        )

    def _draw(self) -> Person:
        birth = day_between(self._rng, self._earliest, self._latest)
        male = self._rng.random() < 0.5
        region = pick_region(self._rng, birth.year)
        code = self._unique_code(region, birth, male)
        surname, name = self._names.person(male)
        return Person(code, name, surname, birth, male, region)

    def _unique_code(self, region: Region, birth: dt.date, male: bool) -> str:
        """A new ID number; the 17th digit is odd for a man and even for a woman."""
        for _ in range(MAX_DRAWS):
            sequence = self._rng.randrange(500) * 2 + int(male)
            code = make_ric(region.code, birth, sequence)
            if code not in self._codes:
                self._codes.add(code)
                self._check(code, region)
                return code
        raise ValueError(f"no free ID number left for {region.code} born {birth}")

    def _check(self, code: str, region: Region) -> None:
        """ric.validate the first number made in each division (about 100 µs a call).

        Later numbers of the division differ only in a real birth date, in or after the year
        the division was assigned, and in the sequence digits; their check character is
        stdnum's own. Validating every number would nearly double the time of a large nation;
        tests/test_synth.py validates every number in the feeds, and every division at the
        first and the last birth year it may be given.
        """
        if region.code not in self._checked_regions:
            ric.validate(code)
            self._checked_regions.add(region.code)


def is_officer_age(person: Person, day: dt.date) -> bool:
    """True when the person may be named an officer of an organisation on ``day``."""
    return rates.OFFICER_AGE_MIN <= person.age_on(day) <= rates.OFFICER_AGE_MAX
