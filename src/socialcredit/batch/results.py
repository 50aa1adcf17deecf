"""Running a plan on a backend (DuckDB or Spark): its output comes back as Arrow tables built
in the backend (see ``output``), never as one Python object per entry or rating. The plan's
own tables (``entry_rows``, each rating's steps and grades ``grades_<n>``) stay in the
backend for what follows: the measures, and the engine's objects that the differential tests
compare (``objects``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection

from socialcredit.batch.compiler import Plan, compile_plan
from socialcredit.batch.expressions import literal
from socialcredit.batch.fetched import sql as _sql
from socialcredit.batch.objects import fill_reasons
from socialcredit.batch.output import ENTRY_SCHEMA, RATING_ORDER, RATING_SCHEMA
from socialcredit.batch.plan import category_table
from socialcredit.core.pack.model import Rulebook


class Backend(Protocol):
    """An SQL engine holding the input tables (see ``inputs``)."""

    dialect: str
    records: int  # records loaded

    def load_store(self, db: Connection) -> Any: ...

    def read_parquet(self, folder: Path) -> Any: ...

    def view(self, name: str, sql: str) -> None: ...

    def lazy_view(self, name: str, sql: str) -> None: ...

    def rows(self, sql: str) -> list[dict[str, Any]]: ...

    def columns(self, sql: str) -> dict[str, list[Any]]: ...

    def arrow(self, sql: str) -> pa.Table: ...

    def register(self, name: str, table: pa.Table) -> None: ...


@dataclass
class PlanOutput:
    """A plan's output: the entries (``output.ENTRY_SCHEMA``, reasons filled), each rating's
    grade and contribution rows as the plan gives them, and the subjects with records."""

    plan: Plan
    entries: pa.Table
    grades: dict[str, pa.Table]
    contributions: dict[str, pa.Table]
    subjects: int

    def ratings(self) -> pa.Table:
        """Every rating (``output.RATING_SCHEMA``), by subject and rating."""
        parts = [
            pa.table(
                {
                    "rating_id": pa.nulls(rows.num_rows, pa.string()).fill_null(rating_id),
                    "subject_id": rows["subject"],
                    "grade": rows["grade"],
                    "score": rows["score"],
                }
            ).cast(RATING_SCHEMA)
            for rating_id, rows in self.grades.items()
        ]
        found = pa.concat_tables(parts) if parts else RATING_SCHEMA.empty_table()
        return found.sort_by(RATING_ORDER)

    def active_entries(self) -> pa.Table:
        return self.entries.filter(pc.field("active"))


def run_plan(backend: Backend, book: Rulebook, as_of: dt.date) -> PlanOutput:
    """Every entry and rating of the rulebook as of ``as_of``, computed by the backend."""
    plan = compile_plan(book, as_of, _earliest(backend, book))
    statements = plan.statements(backend.dialect)
    for name in plan.views:
        build = backend.lazy_view if name in plan.lazy else backend.view
        build(name, statements[name])
    entries = ENTRY_SCHEMA.empty_table()
    if plan.entries is not None:  # kept in the backend for the measures
        backend.view("entry_rows", statements["entries"])
        found = backend.arrow(_sql(_entries_out(as_of), backend.dialect))
        entries = fill_reasons(
            backend, book, found.select(ENTRY_SCHEMA.names).cast(ENTRY_SCHEMA), as_of
        )
    grades, contributions = {}, {}
    for index, (rating_id, queries) in enumerate(plan.ratings.items()):
        for step, _ in queries.steps:  # each rating's tables, built before its queries
            backend.view(step, statements[f"step:{rating_id}:{step}"])
        table = f"grades_{index}"  # kept for the compiled measures (their ``grades_view``)
        backend.view(table, statements[f"grades:{rating_id}"])
        grades[rating_id] = backend.arrow(f"SELECT * FROM {table}")
        contributions[rating_id] = backend.arrow(statements[f"contributions:{rating_id}"])
    counted = backend.rows(_sql(_labelled_count(book), backend.dialect))
    return PlanOutput(plan, entries, grades, contributions, int(counted[0]["n"]))


def _entries_out(as_of: dt.date) -> str:
    """The plan's entry rows as stored, with when each ends and whether it is active."""
    day = literal(as_of).sql("duckdb")
    ends = (
        "CASE WHEN removed_on IS NULL THEN planned_end"
        " WHEN planned_end IS NULL OR removed_on < planned_end THEN removed_on"
        " ELSE planned_end END"
    )
    inner = (
        "SELECT list_id, pack_id, rule_version, subject AS subject_id, record_id, starts,"
        f" planned_end, {ends} AS ends, removed_by, reason, category, agency, removed_on,"
        " version FROM entry_rows"
    )
    active = f"starts <= {day} AND (ends IS NULL OR {day} < ends)"
    return (
        f"SELECT e.*, {active} AS active FROM ({inner}) AS e"
        " ORDER BY subject_id, list_id, record_id"
    )


def _earliest(backend: Backend, book: Rulebook) -> dt.date | None:
    """The earliest decision date of the input's records (where ``after_band`` stops)."""
    if not book.categories:
        return None
    union = " UNION ALL ".join(
        f"SELECT MIN(decided_on) AS d FROM {category_table(c)}" for c in book.categories
    )
    found = backend.rows(_sql(f"SELECT MIN(d) AS d FROM ({union}) AS m", backend.dialect))
    day = found[0]["d"] if found else None
    return day if isinstance(day, dt.date) else None


def _labelled_count(book: Rulebook) -> str:
    """Subjects with records of the book's categories (one category: no UNION to dedupe)."""
    if not book.categories:
        return "SELECT 0 AS n"
    union = " UNION ".join(f"SELECT subject FROM {category_table(c)}" for c in book.categories)
    return f"SELECT COUNT(DISTINCT subject) AS n FROM ({union}) AS labelled"
