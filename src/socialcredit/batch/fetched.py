"""The records and subjects that a batch run's output names, fetched once from the backend
column by column (no Python row per input row), and the entries built from them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot

from socialcredit.batch.plan import READ, category_table
from socialcredit.core.engine.lists import Entry, reason_of
from socialcredit.core.facts import BUILTIN_RECORD_FIELDS, Record, StatusChange, Subject
from socialcredit.core.pack.model import Rulebook

if TYPE_CHECKING:
    from socialcredit.batch.results import Backend

IDS = pa.schema([("id", pa.string())])
_NOT_FIELDS = {*BUILTIN_RECORD_FIELDS, "id", "ord"}
_BUILTIN = ("id", "subject", "category", "agency", "doc_no", "decided_on")
_SUBJECT = ("id", "kind", "name", "birth_date", "region")


def sql(text: str, dialect: str) -> str:
    """A fixed query of the batch package (written for DuckDB) in the backend's dialect."""
    return sqlglot.transpile(text, read=READ, write=dialect)[0]


def wanted(backend: Backend, ids: list[str]) -> None:
    backend.register("wanted", pa.table({"id": ids}, schema=IDS))


def fetch_subjects(backend: Backend, ids: list[str] | None = None) -> Iterator[Subject]:
    """The subjects of ``ids`` (those the input holds), or of the table ``wanted_subjects``
    that the backend already holds."""
    if ids is not None:
        wanted(backend, ids)
    table = "wanted" if ids is not None else "wanted_subjects"
    query = f"SELECT s.* FROM subjects AS s JOIN {table} AS w ON w.id = s.id"
    found = backend.columns(sql(query, backend.dialect))
    for values in zip(*(found[name] for name in _SUBJECT), strict=True):
        yield Subject(*values)


class Fetched:
    """The records (with their status histories) and subjects that the output names: those
    of the entries (the backend's ``entry_rows`` table, if ``entries``) and ``more`` records
    (of the ratings), joined in the backend rather than sent from Python."""

    def __init__(
        self, backend: Backend, categories: set[str], more: list[str], entries: bool
    ) -> None:
        wanted(backend, more)
        union = "SELECT id FROM wanted"
        if entries:
            union += " UNION SELECT record_id AS id FROM entry_rows"
        backend.view("wanted_records", sql(union, backend.dialect))
        history = _histories(backend)
        self.records: dict[str, Record] = {}
        for category in sorted(categories):
            table = category_table(category)
            query = f"SELECT r.* FROM {table} AS r JOIN wanted_records AS w ON w.id = r.id"
            columns = backend.columns(sql(query, backend.dialect))
            self.records.update((r.id, r) for r in _records(columns, history))
        self.subjects: dict[str, Subject] = {}
        if entries:
            query = "SELECT DISTINCT subject AS id FROM entry_rows"
            backend.view("wanted_subjects", sql(query, backend.dialect))
            self.subjects = {s.id: s for s in fetch_subjects(backend)}

    def entries(self, book: Rulebook, found: dict[str, list[Any]], as_of: dt.date) -> list[Entry]:
        """The entries of the plan's entry rows (given column by column)."""
        keys = ("list_id", "version", "subject", "record_id", "starts", "planned_end")
        rows = zip(*(found[k] for k in (*keys, "removed_on", "removed_by", "reason")), strict=True)
        entries = []
        for list_id, version, subject_id, record_id, starts, planned_end, on, by, text in rows:
            rule = book.lists[list_id][version]
            record, subject = self.records[record_id], self.subjects[subject_id]
            reason = reason_of(rule, subject, record, as_of) if text is None else text
            entries.append(Entry(rule, subject.id, record, starts, planned_end, on, by, reason))
        return entries


def _histories(backend: Backend) -> dict[str, list[StatusChange]]:
    """The status changes of the wanted records, in order."""
    query = (
        "SELECT h.record_id, h.status, h.date FROM record_status AS h"
        " JOIN wanted_records AS w ON w.id = h.record_id ORDER BY h.seq"
    )
    found = backend.columns(sql(query, backend.dialect))
    history: dict[str, list[StatusChange]] = defaultdict(list)
    changes = zip(found["record_id"], found["status"], found["date"], strict=True)
    for record_id, status, day in changes:
        history[record_id].append(StatusChange(status, day))
    return history


def _records(
    columns: dict[str, list[Any]], history: dict[str, list[StatusChange]]
) -> Iterator[Record]:
    names = [name for name in columns if name not in _NOT_FIELDS]
    ids, subjects, categories, agencies, docs, days = (columns[k] for k in _BUILTIN)
    values: Iterable[tuple[Any, ...]] = (
        zip(*(columns[name] for name in names), strict=True) if names else [()] * len(ids)
    )
    rows = zip(ids, subjects, categories, agencies, docs, days, values, strict=True)
    for record_id, subject, category, agency, doc_no, day, fields in rows:
        changes = tuple(history.get(record_id, ()))
        yield Record(
            record_id, subject, category, agency, doc_no, day,
            dict(zip(names, fields, strict=True)), changes,
        )  # fmt: skip
