"""The reference engine's own objects (entries, ratings, subjects, officers) for part of a
batch run's output, built from the backend's tables and the records and subjects they name
(fetched once, nothing else). Two users, neither on a run's main path: the differential tests
compare these objects with the reference engine's, and a reason that SQL cannot write is
filled from its record (``fill_reasons``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.batch.after_band import RootHit
from socialcredit.batch.fetched import Fetched
from socialcredit.core.engine.lists import Entry, reason_of
from socialcredit.core.engine.ratings import AfterBandHit, Contribution, Rating
from socialcredit.core.facts import Subject
from socialcredit.core.pack.model import RatingRule, Rulebook

if TYPE_CHECKING:
    from socialcredit.batch.compiler import Plan
    from socialcredit.batch.results import Backend, PlanOutput


@dataclass
class BatchOutput:
    entries: list[Entry]
    ratings: list[Rating]
    subjects: int  # subjects with records: those a label run rates
    known: dict[str, Subject] = field(default_factory=dict)  # the entries' subjects, fetched


def fill_reasons(backend: Backend, book: Rulebook, entries: pa.Table, as_of: dt.date) -> pa.Table:
    """The entries with every reason: those SQL could not write (a template naming a date, a
    fraction, a flag, a status, the subject or a parameter: ``reasons``) are filled in Python,
    one row at a time, fetching only those rows' records and subjects."""
    missing = pc.is_null(entries["reason"]).combine_chunks()
    if not pc.any(missing).as_py():
        return entries
    rows = entries.filter(missing)
    columns = [rows[k].to_pylist() for k in ("list_id", "version", "subject_id", "record_id")]
    categories = set(rows["category"].to_pylist())
    fetched = Fetched(backend, categories, sorted(set(columns[3])), sorted(set(columns[2])))
    texts = [
        reason_of(
            book.lists[list_id][version], fetched.subjects[subject], fetched.records[record], as_of
        )
        for list_id, version, subject, record in zip(*columns, strict=True)
    ]
    reasons = entries["reason"].combine_chunks()
    filled = pc.replace_with_mask(reasons, missing, pa.array(texts, pa.string()))
    return entries.set_column(entries.schema.get_field_index("reason"), "reason", filled)


def objects_of(
    backend: Backend, book: Rulebook, output: PlanOutput, as_of: dt.date, entries: pa.Table
) -> BatchOutput:
    """The ``entries`` (rows of the output's entry table) and every rating, as objects."""
    categories, more = _named(book, output.plan, output.grades, output.contributions)
    categories |= set(entries["category"].to_pylist())
    records = sorted(set(entries["record_id"].to_pylist()) | more)
    fetched = Fetched(backend, categories, records, sorted(set(entries["subject_id"].to_pylist())))
    built = []
    names = ("list_id", "version", "subject_id", "record_id", "starts", "planned_end",
             "removed_on", "removed_by", "reason")  # fmt: skip
    for list_id, version, subject, record, *rest in zip(
        *(entries[k].to_pylist() for k in names), strict=True
    ):
        rule = book.lists[list_id][version]
        built.append(Entry(rule, subject, fetched.records[record], *rest))
    ratings = []
    for rating_id, grades in output.grades.items():
        by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in output.contributions[rating_id].to_pylist():
            by_subject[row["subject"]].append(row)
        queries = output.plan.ratings[rating_id]
        maker = _Ratings(fetched, queries.rule, as_of, queries.after_band)
        ratings += [maker.rating(row, by_subject) for row in grades.to_pylist()]
    ratings.sort(key=lambda r: (r.subject, r.rating_id))
    return BatchOutput(built, ratings, output.subjects, fetched.subjects)


def _named(
    book: Rulebook, plan: Plan, grades: dict[str, pa.Table], contributions: dict[str, pa.Table]
) -> tuple[set[str], set[str]]:
    """The categories and ids of the records that decided the ratings."""
    categories: set[str] = set()
    more: set[str] = set()
    for rating_id, rows in contributions.items():
        categories.update(rows["category"].to_pylist())
        more.update(rows["record_id"].to_pylist())
        for row in grades[rating_id].to_pylist():
            for category, record_id in _decided_by(plan.ratings[rating_id].rule, row):
                categories.add(category)
                more.add(record_id)
    return categories, more


def _decided_by(rule: RatingRule, row: dict[str, Any]) -> list[tuple[str, str]]:
    """(category, record id) of the direct grade and the cap that decided a rating."""
    found = []
    for specs, key in ((rule.direct, "direct"), (rule.caps, "capped")):
        if row[f"{key}_id"] is not None:
            per = next(per for spec, per in specs if spec.id == row[f"{key}_id"])
            found.append((per.category, row[f"{key}_record"]))
    return found


class _Ratings:
    """Ratings of one rule built from the plan's rows and the records they name."""

    def __init__(
        self, fetched: Fetched, rule: RatingRule, as_of: dt.date, after_band: list[RootHit]
    ) -> None:
        self.records, self.rule, self.as_of, self.after_band = (
            fetched.records, rule, as_of, after_band,
        )  # fmt: skip

    def rating(self, row: dict[str, Any], contributions: dict[str, list[dict[str, Any]]]) -> Rating:
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
            for h in self.after_band
            if row[f"ab_{h.index}_hit"]
        )
        return Rating(
            self.rule, row["subject"], self.as_of, float(row["score"]), row["grade"],
            own, direct, capped, contagion, hits,
        )  # fmt: skip
