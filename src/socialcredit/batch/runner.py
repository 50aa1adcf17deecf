"""A batch label run: the store's facts (or Parquet input) given to an SQL engine, the compiled
plan run there, and its output returned as Arrow tables (see ``output``). The backend stays
open with the plan's tables, for the measures that follow (``measures_plan``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Connection

from socialcredit.batch.results import Backend, PlanOutput, run_plan
from socialcredit.core.pack.model import Rulebook

BATCH_ENGINES = ("duckdb", "spark")


@dataclass
class BatchFound:
    """What a batch run found, as tables (never the nation as Python objects), and the
    backend and plan output the measures are computed from."""

    entries: pa.Table
    ratings: pa.Table
    subjects: int
    records: int
    backend: Backend
    output: PlanOutput


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
    return BatchFound(
        output.entries, output.ratings(), output.subjects, backend.records, backend, output
    )
