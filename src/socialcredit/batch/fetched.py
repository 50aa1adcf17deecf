"""The records and subjects that part of a batch run's output names, fetched once from the
backend column by column (no Python row per input row)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot

from socialcredit.batch.plan import READ, category_table
from socialcredit.core.facts import BUILTIN_RECORD_FIELDS, Record, StatusChange, Subject

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


def fetch_subjects(backend: Backend, ids: list[str]) -> Iterator[Subject]:
    """The subjects of ``ids`` (those the input holds)."""
    wanted(backend, ids)
    query = "SELECT s.* FROM subjects AS s JOIN wanted AS w ON w.id = s.id"
    found = backend.columns(sql(query, backend.dialect))
    for values in zip(*(found[name] for name in _SUBJECT), strict=True):
        yield Subject(*values)


class Fetched:
    """The records (with their status histories) and subjects that part of the output names,
    fetched by id (the ids sent to the backend as one small table)."""

    def __init__(
        self, backend: Backend, categories: set[str], records: list[str], subjects: list[str]
    ) -> None:
        backend.register("wanted_records", pa.table({"id": records}, schema=IDS))
        history = _histories(backend)
        self.records: dict[str, Record] = {}
        for category in sorted(categories):
            table = category_table(category)
            query = f"SELECT r.* FROM {table} AS r JOIN wanted_records AS w ON w.id = r.id"
            columns = backend.columns(sql(query, backend.dialect))
            self.records.update((r.id, r) for r in _records(columns, history))
        self.subjects = {s.id: s for s in fetch_subjects(backend, subjects)}


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
