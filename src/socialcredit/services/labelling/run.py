"""Labelling: every subject evaluated against every loaded pack as of a date, the entries
and ratings stored as one label run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert

from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.events import label_events
from socialcredit.services.labelling.governance import check_catalogue
from socialcredit.services.labelling.lock import serialise_labelling
from socialcredit.services.records.facts import load_all
from socialcredit.store import tables as t
from socialcredit.store.events import publish


@dataclass
class LabelSummary:
    run_id: int
    as_of: dt.date
    subjects: int
    records: int
    entries: int
    active: Counter[str] = field(default_factory=Counter)
    grades: Counter[tuple[str, str]] = field(default_factory=Counter)
    engine: str = "python"

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "engine": self.engine,
            "as_of": self.as_of.isoformat(),
            "subjects": self.subjects,
            "records": self.records,
            "entries": self.entries,
            "active_entries": dict(self.active),
            "grades": {f"{r}:{g}": n for (r, g), n in self.grades.items()},
        }


def label_facts(
    book: Rulebook,
    facts: MemoryFacts,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Entry], list[Rating]]:
    """Entries and ratings of every subject with records (pure: no store)."""
    engine = RuleEngine(book)
    entries: list[Entry] = []
    ratings: list[Rating] = []
    for subject_id in list(facts.records):
        found_entries, found_ratings = engine.triggers(facts, subject_id, as_of)
        entries += found_entries
        ratings += found_ratings
        if progress:
            progress(len(facts.records_of(subject_id)))
    return entries, ratings


ENGINES = ("duckdb", "spark", "python")
DEFAULT_ENGINE = "duckdb"  # the compiled plan; the differential tests keep it equal to python


def label(
    db_engine: Engine,
    book: Rulebook,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    on_loaded: Callable[[int], None] | None = None,
    engine: str = DEFAULT_ENGINE,
    master: str | None = None,
    outside_catalogue: bool = False,
) -> LabelSummary:
    """Label every subject with records as of ``as_of`` on one of ``ENGINES`` and store the
    run; every engine stores the same entries, ratings and events. With a governing pack
    loaded, refuse what is outside the catalogue on ``as_of`` unless ``outside_catalogue``."""
    check_catalogue(book, as_of, run_anyway=outside_catalogue)
    if engine == "python":
        with db_engine.connect() as db:
            facts = load_all(db, book)
        subjects, records = len(facts.records), sum(len(r) for r in facts.records.values())
        if on_loaded:
            on_loaded(records)
        entries, ratings = label_facts(book, facts, as_of, progress)
    else:
        from socialcredit.batch.runner import label_batch  # heavy imports, only when asked

        with db_engine.connect() as db:
            found = label_batch(db, book, as_of, engine, master)
        facts, entries, ratings = found.facts, found.entries, found.ratings
        subjects, records = found.subjects, found.records
        if on_loaded:
            on_loaded(records)
        if progress:
            progress(records)
    summary = _store(db_engine, book, as_of, facts, (entries, ratings), (subjects, records))
    summary.engine = engine
    return summary


def _store(
    db_engine: Engine,
    book: Rulebook,
    as_of: dt.date,
    facts: MemoryFacts,
    found: tuple[list[Entry], list[Rating]],
    counts: tuple[int, int],
) -> LabelSummary:
    (entries, ratings), (subjects, records) = found, counts
    with db_engine.begin() as db:  # one transaction: the run, its events, entries, ratings
        serialise_labelling(db)  # before comparing with the last run
        run = insert(t.label_runs).values(
            as_of=as_of,
            finished_at=dt.datetime.now(dt.UTC),
            revisions=book.revisions(),
            subjects=subjects,
            entries=len(entries),
        )
        changes = label_events(db, book, facts, as_of, (entries, ratings))
        run_id = int(db.execute(run.returning(t.label_runs.c.id)).scalar_one())
        if changes:
            publish(db, changes)
        if entries:
            db.execute(insert(t.list_entries), [_entry_row(run_id, e) for e in entries])
        if ratings:
            db.execute(
                insert(t.ratings),
                [_rating_row(run_id, r) for r in ratings],
            )
    summary = LabelSummary(run_id, as_of, subjects, records, len(entries))
    summary.active.update(e.list_id for e in entries if e.active_on(as_of))
    summary.grades.update((r.rating_id, r.grade) for r in ratings)
    return summary


def _rating_row(run_id: int, rating: Rating) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "rating_id": rating.rating_id,
        "subject_id": rating.subject,
        "grade": rating.grade,
        "score": rating.score,
    }


def _entry_row(run_id: int, entry: Entry) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "list_id": entry.list_id,
        "pack_id": entry.rule.pack.id,
        "rule_version": entry.rule.version.in_force,
        "subject_id": entry.subject,
        "record_id": entry.record.id,
        "starts": entry.starts,
        "planned_end": entry.planned_end,
        "ends": entry.ends,
        "removed_by": entry.removed_by,
        "reason": entry.reason,
    }
