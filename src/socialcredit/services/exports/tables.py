"""Snapshot exports: rows written as CSV, JSON Lines or Parquet, and the records a caller may
read (for agencies mirroring the store and for auditors).

In CSV (``io.csv_out``: a byte-order mark, and text cells that a spreadsheet would run as a
formula neutralised) a null is an empty cell, a boolean ``true``/``false``, a date ISO 8601
and a nested value (a record's fields) JSON text; JSON Lines keep nested values as objects;
Parquet has typed columns (dates as date32, booleans, nested values as JSON text).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, select

from socialcredit.core.access import Principal
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.pack.model import Rulebook
from socialcredit.io.csv_out import csv_bytes
from socialcredit.services.access.visibility import record_condition
from socialcredit.services.lists.query import append_all
from socialcredit.store import tables as t

Format = Literal["csv", "jsonl", "parquet"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
DATE_COLUMNS = frozenset({"rule_version", "starts", "planned_end", "ends", "decided_on"})
BOOL_COLUMNS = frozenset({"active"})
RECORD_COLUMNS = (
    "record_id", "subject", "category", "agency", "doc_no", "decided_on", "status", "fields",
)  # fmt: skip


class ExportUnavailable(SocialCreditError):
    """A format this installation cannot write (Parquet without pyarrow)."""


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


def export(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, name: str
) -> Export:
    """``rows`` (only ``columns``, in that order) as a file ``name.<fmt>``."""
    writers = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}
    content = writers[fmt](rows, columns)
    return Export(content, MEDIA_TYPES[fmt], f"{name}.{fmt}")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return "" if value is None else value


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    return csv_bytes(columns, ([_cell(row.get(c)) for c in columns] for row in rows))


def _jsonl(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    lines = [
        json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False, default=_json_default)
        for row in rows
    ]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def _parquet(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - the parquet extra is installed in CI
        raise ExportUnavailable(
            "Parquet needs pyarrow: pip install 'socialcredit[parquet]'"
        ) from error

    def kind(column: str) -> Any:
        if column in DATE_COLUMNS:
            return pa.date32()
        return pa.bool_() if column in BOOL_COLUMNS else pa.string()

    schema = pa.schema([(c, kind(c)) for c in columns])
    data = {c: [_parquet_value(c, row.get(c)) for row in rows] for c in columns}
    sink = io.BytesIO()
    pq.write_table(pa.table(data, schema=schema), sink)
    return sink.getvalue()


def _parquet_value(column: str, value: Any) -> Any:
    if value is None or column in DATE_COLUMNS or column in BOOL_COLUMNS:
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def readable_records(
    db: Connection, book: Rulebook, caller: Principal, category: str | None, as_of: dt.date
) -> list[dict[str, Any]]:
    """The records decided by ``as_of`` that the caller may read (of one category, or all),
    each with its status on ``as_of``."""
    r = t.records
    query = select(r).where(r.c.decided_on <= as_of).order_by(r.c.subject_id, r.c.id)
    if category is not None:
        query = query.where(r.c.category == category)
    condition = record_condition(book, caller, r.c.subject_id)
    if condition is not None:
        query = query.where(condition)
    found = list(db.execute(query))
    statuses = _statuses(db, [row.id for row in found], as_of)
    return [
        {
            "record_id": row.id,
            "subject": row.subject_id,
            "category": row.category,
            "agency": row.agency,
            "doc_no": row.doc_no,
            "decided_on": row.decided_on,
            "status": statuses.get(row.id, "active"),
            "fields": row.fields,
        }
        for row in found
    ]


def _statuses(db: Connection, record_ids: list[str], as_of: dt.date) -> dict[str, str]:
    """Each record's latest status change on or before ``as_of``."""
    s = t.record_status
    changes: dict[str, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        query = select(s).where(s.c.record_id.in_(chunk), s.c.date <= as_of)
        for row in db.execute(query):
            changes[row.record_id].append((row.date, row.id, row.status))
    return {record_id: max(found)[2] for record_id, found in changes.items()}


def log_records_read(
    db: Connection, caller: Principal, rows: Sequence[dict[str, Any]], purpose: str | None,
    what: str,
) -> None:  # fmt: skip
    """One audit entry per subject whose records were exported."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["subject"]] += 1
    append_all(
        db,
        [
            {
                "actor": caller.actor,
                "action": "exports.records",
                "subject": subject,
                "purpose": purpose,
                "result": f"{count} record(s) exported ({what})",
            }
            for subject, count in sorted(counts.items())
        ],
    )
