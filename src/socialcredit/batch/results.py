"""Running a plan on a backend (DuckDB or Spark) and turning its rows into the engine's own
entries and ratings, so that everything downstream (store, feed, measures, decisions) cannot
tell which engine ran. Only what the output needs comes back into Python: the rows of the
entries and ratings, and the records, subjects and relations they name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
from sqlalchemy import Connection

from socialcredit.batch.after_band import RootHit
from socialcredit.batch.compiler import Plan, compile_plan
from socialcredit.batch.fetched import Fetched, fetch_subjects, wanted
from socialcredit.batch.fetched import sql as _sql
from socialcredit.batch.plan import category_table
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import AfterBandHit, Contribution, Rating
from socialcredit.core.facts import MemoryFacts, Relation, Subject
from socialcredit.core.pack.model import RatingRule, Rulebook


class Backend(Protocol):
    """An SQL engine holding the input tables (see ``inputs``)."""

    dialect: str
    records: int  # records loaded

    def load_store(self, db: Connection) -> Any: ...

    def read_parquet(self, folder: Path) -> Any: ...

    def view(self, name: str, sql: str) -> None: ...

    def rows(self, sql: str) -> list[dict[str, Any]]: ...

    def columns(self, sql: str) -> dict[str, list[Any]]: ...

    def register(self, name: str, table: pa.Table) -> None: ...


@dataclass
class BatchOutput:
    entries: list[Entry]
    ratings: list[Rating]
    subjects: int  # subjects with records: those a label run rates
    known: dict[str, Subject] = field(default_factory=dict)  # the entries' subjects, fetched


def run_plan(backend: Backend, book: Rulebook, as_of: dt.date) -> BatchOutput:
    """Every entry and rating of the rulebook as of ``as_of``, computed by the backend."""
    plan = compile_plan(book, as_of, _earliest(backend, book))
    statements = plan.statements(backend.dialect)
    for name in plan.views:
        backend.view(name, statements[name])
    entry_rows: dict[str, list[Any]] = {}
    if plan.entries is not None:  # kept in the backend: the records are joined there
        backend.view("entry_rows", statements["entries"])
        entry_rows = backend.columns("SELECT * FROM entry_rows")
    grade_rows: Rows = {}
    contribution_rows: Rows = {}
    for rating_id, queries in plan.ratings.items():
        for step, _ in queries.steps:  # each rating's tables, built before its queries
            backend.view(step, statements[f"step:{rating_id}:{step}"])
        grade_rows[rating_id] = backend.rows(statements[f"grades:{rating_id}"])
        contribution_rows[rating_id] = backend.rows(statements[f"contributions:{rating_id}"])
    categories, more = _named(book, plan, entry_rows, (grade_rows, contribution_rows))
    fetched = Fetched(backend, categories, more, plan.entries is not None)
    entries = fetched.entries(book, entry_rows, as_of) if entry_rows else []
    entries.sort(key=lambda e: (e.subject, e.list_id, e.record.id))
    ratings = []
    for rating_id, rows in grade_rows.items():
        by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in contribution_rows[rating_id]:
            by_subject[row["subject"]].append(row)
        rule, hits = plan.ratings[rating_id].rule, plan.ratings[rating_id].after_band
        built = _Ratings(fetched)
        ratings += [built.rating(rule, row, by_subject, as_of, hits) for row in rows]
    ratings.sort(key=lambda r: (r.subject, r.rating_id))
    counted = backend.rows(_sql(_labelled_count(book), backend.dialect))
    return BatchOutput(entries, ratings, int(counted[0]["n"]), fetched.subjects)


Rows = dict[str, list[dict[str, Any]]]


def _named(
    book: Rulebook, plan: Plan, entry_rows: dict[str, list[Any]], rating_rows: tuple[Rows, Rows]
) -> tuple[set[str], list[str]]:
    """The categories of the records the output names, and the ratings' records (those of
    the entries stay in the backend's ``entry_rows``)."""
    versions = set(zip(entry_rows.get("list_id", ()), entry_rows.get("version", ()), strict=True))
    categories = {book.lists[list_id][version].category for list_id, version in versions}
    more: set[str] = set()
    grade_rows, contribution_rows = rating_rows
    for rating_id, rows in contribution_rows.items():
        for row in rows:
            categories.add(row["category"])
            more.add(row["record_id"])
        for row in grade_rows[rating_id]:
            for category, record_id in _decided_by(plan.ratings[rating_id].rule, row):
                categories.add(category)
                more.add(record_id)
    return categories, sorted(more)


def _decided_by(rule: RatingRule, row: dict[str, Any]) -> list[tuple[str, str]]:
    """(category, record id) of the direct grade and the cap that decided a rating."""
    found = []
    for specs, key in ((rule.direct, "direct"), (rule.caps, "capped")):
        if row[f"{key}_id"] is not None:
            per = next(per for spec, per in specs if spec.id == row[f"{key}_id"])
            found.append((per.category, row[f"{key}_record"]))
    return found


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


class _Ratings:
    """Ratings built from the plan's rows and the records they name."""

    def __init__(self, fetched: Fetched) -> None:
        self.records = fetched.records

    def rating(
        self,
        rule: RatingRule,
        row: dict[str, Any],
        contributions: dict[str, list[dict[str, Any]]],
        as_of: dt.date,
        after_band: list[RootHit],
    ) -> Rating:
        own = tuple(
            Contribution(c["cid"], self.records[c["record_id"]], float(c["points"]))
            for c in contributions.get(row["subject"], ())
        )
        direct, capped = (
            (row[f"{k}_id"], self.records[row[f"{k}_record"]]) if row[f"{k}_id"] else None
            for k in ("direct", "capped")
        )
        contagion = (
            (row["contagion_id"], row["contagion_org"], row["contagion_person"])
            if row["contagion_id"]
            else None
        )
        hits = tuple(
            AfterBandHit(h.spec.id, h.on, float(row[f"ab_{h.index}_score"]), h.points, ())
            for h in after_band
            if row[f"ab_{h.index}_hit"]
        )
        return Rating(
            rule,
            row["subject"],
            as_of,
            float(row["score"]),
            row["grade"],
            own,
            direct,
            capped,
            contagion,
            hits,
        )


def officer_facts(
    backend: Backend, subject_ids: set[str], known: dict[str, Subject] | None = None
) -> MemoryFacts:
    """The subjects named and the officers of those that are organisations, with the
    officers' subjects: what ``measures_reached`` needs to reach related persons (those
    ``known`` already are not fetched again)."""
    facts = MemoryFacts()
    wanted(backend, sorted(subject_ids))
    query = "SELECT r.* FROM relations AS r JOIN wanted AS w ON w.id = r.org_id ORDER BY r.org_ord"
    found = backend.columns(_sql(query, backend.dialect))
    names = ("org_id", "role", "person_id", "since", "until")
    for values in zip(*(found[name] for name in names), strict=True):
        facts.add_relation(Relation(*values))
    everyone, known = subject_ids | set(found["person_id"]), known or {}
    for subject_id in sorted(everyone & known.keys()):
        facts.add_subject(known[subject_id])
    for subject in fetch_subjects(backend, sorted(everyone - known.keys())):
        facts.add_subject(subject)
    return facts
