"""Labelling: every subject evaluated against every loaded pack as of a date, the entries
and ratings stored as one label run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, insert

from socialcredit.batch.output import STORED_ENTRY_COLUMNS, entries_table, ratings_table
from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.events import label_events
from socialcredit.services.labelling.governance import check_catalogue
from socialcredit.services.labelling.lock import serialise_labelling
from socialcredit.services.labelling.measure_rows import batch_measures, python_measures
from socialcredit.services.records.facts import load_all
from socialcredit.store import tables as t
from socialcredit.store.bulk import insert_arrow
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
    run; every engine stores the same entries, ratings and events, from the same tables. With
    a governing pack loaded, refuse what is outside the catalogue on ``as_of`` unless
    ``outside_catalogue``."""
    check_catalogue(book, as_of, run_anyway=outside_catalogue)
    if engine == "python":
        with db_engine.connect() as db:
            facts = load_all(db, book)
        subjects, records = len(facts.records), sum(len(r) for r in facts.records.values())
        if on_loaded:
            on_loaded(records)
        entries, ratings = label_facts(book, facts, as_of, progress)
        measures = python_measures(book, facts, (entries, ratings), as_of)
        found = (entries_table(book, entries, as_of), ratings_table(ratings), measures)
    else:
        from socialcredit.batch.runner import label_batch  # heavy imports, only when asked

        with db_engine.connect() as db:
            batch = label_batch(db, book, as_of, engine, master)
        subjects, records = batch.subjects, batch.records
        if on_loaded:
            on_loaded(records)
        if progress:
            progress(records)
        found = (batch.entries, batch.ratings, batch_measures(batch, book, as_of))
    summary = _store(db_engine, book, as_of, found, (subjects, records))
    summary.engine = engine
    return summary


def _store(
    db_engine: Engine,
    book: Rulebook,
    as_of: dt.date,
    found: tuple[pa.Table, pa.Table, pa.Table],
    counts: tuple[int, int],
) -> LabelSummary:
    """Store a run's entries, ratings and measures (tables; see ``batch.output``) with its
    feed events, in bulk and in one transaction."""
    (entries, ratings, _), (subjects, records) = found, counts
    with db_engine.begin() as db:  # one transaction: the run, its events, entries, ratings
        serialise_labelling(db)  # before comparing with the last run
        run = insert(t.label_runs).values(
            as_of=as_of,
            finished_at=dt.datetime.now(dt.UTC),
            revisions=book.revisions(),
            subjects=subjects,
            entries=entries.num_rows,
        )
        changes = label_events(db, book, as_of, found)
        run_id = int(db.execute(run.returning(t.label_runs.c.id)).scalar_one())
        if changes:
            publish(db, changes)
        stored = entries.select(list(STORED_ENTRY_COLUMNS))
        insert_arrow(db, t.list_entries, stored, {"run_id": run_id})
        insert_arrow(db, t.ratings, ratings, {"run_id": run_id})
    summary = LabelSummary(run_id, as_of, subjects, records, entries.num_rows)
    summary.active.update(_counted(entries.filter(pc.field("active")), ["list_id"]))
    summary.grades.update(_counted(ratings, ["rating_id", "grade"]))
    return summary


def _counted(table: pa.Table, keys: list[str]) -> dict[Any, int]:
    """Rows per distinct value of ``keys``, in the order each value first appears."""
    counted = table.group_by(keys, use_threads=False).aggregate([([], "count_all")])
    values = [counted[k].to_pylist() for k in keys]
    groups = values[0] if len(keys) == 1 else list(zip(*values, strict=True))
    return dict(zip(groups, counted["count_all"].to_pylist(), strict=True))
