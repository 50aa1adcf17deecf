"""A batch label run: the store's facts streamed to an SQL engine, the compiled plan run there,
and the output (entries, ratings, and the subjects and officers that measures need) returned
in the engine's own types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from socialcredit.batch.results import Backend, officer_facts, run_plan
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook

BATCH_ENGINES = ("duckdb", "spark")


@dataclass
class BatchFound:
    """What a batch run found, and the facts (subjects with output, their officers) that the
    feed's measures need; never the whole nation."""

    entries: list[Entry]
    ratings: list[Rating]
    facts: MemoryFacts
    subjects: int
    records: int


def backend_for(book: Rulebook, engine: str, master: str | None = None) -> Backend:
    """A fresh backend of the named engine (``master`` is Spark's, ``local[*]`` by default)."""
    if engine == "duckdb":
        from socialcredit.batch.duck import DuckDBBackend

        return DuckDBBackend(book)
    if engine == "spark":
        from socialcredit.batch.spark import SparkBackend

        spark: Backend = SparkBackend(book, master or "local[*]")
        return spark
    raise ValueError(f"unknown engine {engine!r}; use one of duckdb, spark, python")


def label_batch(
    db: Connection, book: Rulebook, as_of: dt.date, engine: str, master: str | None = None
) -> BatchFound:
    """Label the store's facts on a batch engine."""
    backend = backend_for(book, engine, master)
    backend.load_store(db)
    return _finish(backend, book, as_of)


def label_parquet(
    folder: Path, book: Rulebook, as_of: dt.date, engine: str, master: str | None = None
) -> BatchFound:
    """Label facts laid out as Parquet input (see ``inputs.parquet_sink``)."""
    backend = backend_for(book, engine, master)
    backend.read_parquet(folder)
    return _finish(backend, book, as_of)


def _finish(backend: Backend, book: Rulebook, as_of: dt.date) -> BatchFound:
    output = run_plan(backend, book, as_of)
    named = {e.subject for e in output.entries} | {r.subject for r in output.ratings}
    facts = officer_facts(backend, named, output.known)
    return BatchFound(output.entries, output.ratings, facts, output.subjects, backend.records)
