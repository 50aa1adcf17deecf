"""Shared machinery of the agency feeds beyond registration and enforcement.

A feed is a list of ``Item``: one record of one subject, decided on a day, with its fields
already written as CSV text and possibly an ending (a status and its day) within the period.
Items are numbered in the order of their decision days, then written by day: the record's
row on the day it was decided and, for an ending, a row repeating every field with the new
status on the day it happened (as the courts' feed does).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import random
from dataclasses import dataclass
from pathlib import Path

from socialcredit.synth import rates
from socialcredit.synth.feeds import FeedWriter, RowCounter
from socialcredit.synth.invalid import SUBJECT_KINDS, Corrupter, Row
from socialcredit.synth.orgs import Organisation
from socialcredit.synth.people import MAX_DRAWS, Person, Population


@dataclass(frozen=True)
class Feed:
    """One file of the manifest: the agency, the category and the category's fields."""

    file: str
    agency: str
    category: str
    fields: tuple[str, ...]
    doc_prefix: str

    def manifest_item(self) -> dict[str, str]:
        """The feed as the manifest lists it."""
        return {"file": self.file, "agency": self.agency, "category": self.category}


@dataclass(frozen=True, slots=True)
class Item:
    """One record: subject, decision day, fields as text, and an ending if one is known."""

    subject: str
    name: str
    decided_on: dt.date
    fields: dict[str, str]
    ending: tuple[str, dt.date] | None = None


class DocNumbers:
    """Document numbers such as ``民航罚〔2019〕17号``, rising within each year."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._last: dict[int, int] = {}

    def next(self, year: int) -> str:
        """The next number of ``year``."""
        number = self._last.get(year, 0) + 1
        self._last[year] = number
        return f"{self._prefix}〔{year}〕{number}号"


def count_of(base: int, share: float, minimum: int) -> int:
    """``share`` of ``base``, but at least ``minimum`` so that small nations show every kind."""
    return max(minimum, round(base * share))


def day_in(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day drawn uniformly from ``first`` to ``last`` (``first`` when the span is empty)."""
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def choose(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    """A value drawn from (value, weight) pairs."""
    return rng.choices([value for value, _ in weights], [w for _, w in weights])[0]


def iso(day: dt.date | None) -> str:
    """A date as the feeds write it; empty for none."""
    return day.isoformat() if day else ""


def _row(feed: Feed, item: Item, doc_no: str, status: str, day: dt.date | None) -> Row:
    return {
        "subject": item.subject,
        "name": item.name,
        "category": feed.category,
        "doc_no": doc_no,
        "decided_on": item.decided_on.isoformat(),
        "status": status,
        "status_date": iso(day),
        **item.fields,
    }


def write_feed(
    folder: Path, feed: Feed, items: list[Item], counter: RowCounter, corrupter: Corrupter
) -> int:
    """Write the items of one feed by day; return the number of valid rows written."""
    items = sorted(items, key=lambda item: (item.decided_on, item.subject))
    numbers = DocNumbers(feed.doc_prefix)
    doc_nos = [numbers.next(item.decided_on.year) for item in items]
    events = [(item.decided_on, 0, index) for index, item in enumerate(items)]
    events += [(item.ending[1], 1, i) for i, item in enumerate(items) if item.ending]
    events.sort()
    with FeedWriter(folder / feed.file, feed.fields, SUBJECT_KINDS, counter, corrupter) as out:
        for _, phase, index in events:
            item = items[index]
            fresh = functools.partial(numbers.next, item.decided_on.year)
            if phase == 0:
                out.write(_row(feed, item, doc_nos[index], "active", None), fresh)
            else:
                assert item.ending is not None
                status, day = item.ending
                out.write(_row(feed, item, doc_nos[index], status, day), fresh)
    return len(events)


@dataclass(frozen=True)
class World:
    """The nation the feeds draw their subjects from: persons, organisations, the period."""

    population: Population
    organisations: list[Organisation]
    start: dt.date
    end: dt.date

    def adult(self, day: dt.date) -> Person:
        """A person drawn uniformly among those of age on ``day`` (from the persons' stream)."""
        for _ in range(MAX_DRAWS):
            person = self.population.random_person()
            if person.age_on(day) >= rates.ADULT_AGE:
                return person
        raise ValueError(f"no adult on {day}; make the nation larger")

    def organisation(self, rng: random.Random, day: dt.date, after_days: int = 0) -> Organisation:
        """An organisation drawn among those registered ``after_days`` or more before ``day``."""
        latest = day - dt.timedelta(days=after_days)
        known = bisect.bisect_right(self.organisations, latest, key=lambda o: o.registered_on)
        if known == 0:
            raise ValueError(f"no organisation registered by {latest}; add organisations")
        return self.organisations[rng.randrange(known)]
