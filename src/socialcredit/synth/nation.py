"""A synthetic nation, written as one feed per agency plus a manifest.

Everything is drawn from random streams derived from the seed (one per concern, so that
the organisations do not change when, say, the share of invalid rows does) and from one
seeded Faker('zh_CN'); the same seed and sizes give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from socialcredit.synth import enforcement, registration
from socialcredit.synth.agencies import FEEDS, write_agency_feeds
from socialcredit.synth.cases import CaseDrawer, CaseNumbers
from socialcredit.synth.feeds import RowCounter
from socialcredit.synth.invalid import Corrupter
from socialcredit.synth.names import Names
from socialcredit.synth.orgs import Registry
from socialcredit.synth.people import Population
from socialcredit.synth.records import World

MANIFEST_FILE = "manifest.json"
DEFAULT_START = dt.date(2017, 5, 1)
DEFAULT_END = dt.date(2025, 12, 31)


@dataclass(frozen=True)
class NationSummary:
    """What ``generate_nation`` wrote: sizes, counts of valid rows and of invalid rows."""

    persons: int
    orgs: int
    cases: int
    status_updates: int
    invalid_rows: dict[str, int]
    files: list[Path]
    seed: int
    person_debtors: int
    minor_debtors: int
    org_debtors: int
    records: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (paths as strings)."""
        data = asdict(self)
        data["files"] = [str(path) for path in self.files]
        return data


def _stream(seed: int, concern: str) -> random.Random:
    """An independent random stream for one concern (string seeds are hashed with SHA-512)."""
    return random.Random(f"socialcredit.synth/{seed}/{concern}")


def _check(persons: int, orgs: int, start: dt.date, end: dt.date) -> None:
    if persons < 1:
        raise ValueError("persons must be at least 1")
    if orgs < 0:
        raise ValueError("orgs must not be negative")
    if end <= start:
        raise ValueError(f"the period must end after it starts ({start} .. {end})")


def generate_nation(
    out_dir: Path,
    persons: int = 20_000,
    orgs: int = 5_000,
    seed: int = 7,
    start: dt.date = DEFAULT_START,
    end: dt.date = DEFAULT_END,
    progress: Callable[[int], None] | None = None,
) -> NationSummary:
    """Write the feeds of a synthetic nation under ``out_dir`` and return what was written.

    ``progress(n)`` is called with the number of rows written since its previous call.
    """
    _check(persons, orgs, start, end)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = Names(seed)
    population = Population(persons, start, _stream(seed, "persons"), names)
    registry = Registry(orgs, end, population, names, _stream(seed, "organisations"))
    counter = RowCounter(progress)
    corrupter = Corrupter(_stream(seed, "invalid"))
    debtors = _stream(seed, "debtors")
    chosen = registration.debtor_indices(registry, debtors, end)
    registration_path = out_dir / registration.REGISTRATION_FILE
    organisations = registration.write_registration(registration_path, registry, counter, corrupter)
    org_debtors = [organisations[index] for index in sorted(chosen)]
    people = enforcement.person_debtors(population, debtors, start, end)
    all_debtors = people + [enforcement.organisation_debtor(o, start, end) for o in org_debtors]
    drawer = CaseDrawer(_stream(seed, "cases"), end)
    cases = [case for debtor in all_debtors for case in drawer.cases_of(debtor)]
    enforcement_path = out_dir / enforcement.ENFORCEMENT_FILE
    numbers = CaseNumbers(_stream(seed, "case-numbers"))
    counts = enforcement.write_enforcement(enforcement_path, cases, numbers, counter, corrupter)
    world = World(population, organisations, start, end)
    records = write_agency_feeds(
        out_dir, world, cases, lambda concern: _stream(seed, concern), counter, corrupter
    )
    counter.flush()
    summary = NationSummary(
        persons=persons,
        orgs=orgs,
        cases=counts.cases,
        status_updates=counts.status_updates,
        invalid_rows=dict(corrupter.counts),
        files=[
            registration_path,
            enforcement_path,
            *(out_dir / feed.file for feed in FEEDS),
            out_dir / MANIFEST_FILE,
        ],
        seed=seed,
        person_debtors=len(people),
        minor_debtors=sum(1 for debtor in people if debtor.minor),
        org_debtors=len(org_debtors),
        records=records,
    )
    _write_manifest(out_dir / MANIFEST_FILE, summary, start, end)
    return summary


def feed_list() -> list[dict[str, str]]:
    """The feeds in the order they must be ingested: registrations first."""
    return [
        {
            "file": registration.REGISTRATION_FILE,
            "agency": registration.AGENCY,
            "category": registration.CATEGORY,
        },
        {
            "file": enforcement.ENFORCEMENT_FILE,
            "agency": enforcement.AGENCY,
            "category": enforcement.CATEGORY,
        },
        *(feed.manifest_item() for feed in FEEDS),
    ]


def _write_manifest(path: Path, summary: NationSummary, start: dt.date, end: dt.date) -> None:
    manifest = {
        "generator": "socialcredit.synth",
        "seed": summary.seed,
        "persons": summary.persons,
        "orgs": summary.orgs,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "files": feed_list(),
        "counts": {
            "cases": summary.cases,
            "status_updates": summary.status_updates,
            "person_debtors": summary.person_debtors,
            "minor_debtors": summary.minor_debtors,
            "org_debtors": summary.org_debtors,
            "invalid_rows": summary.invalid_rows,
            "records": summary.records,
        },
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
