"""What a label run finds, as Arrow tables: every engine's output in one form, so that storing
it, the feed events and the summary never depend on which engine ran. The batch engines build
these tables in their backend; the Python reference engine converts its objects to them.

``entries`` holds the columns ``list_entries`` stores (``STORED_ENTRY_COLUMNS``), then what
the feed events need: the record's category and source agency, whether the entry is active
on the run's date, the removal date and the list version's index. ``ratings`` holds the
columns ``ratings`` stores. The batch engines sort entries by subject, list and record and
ratings by subject and rating; the Python engine keeps its own order (as before).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.pack.model import Rulebook

STORED_ENTRY_COLUMNS = (
    "list_id", "pack_id", "rule_version", "subject_id", "record_id",
    "starts", "planned_end", "ends", "removed_by", "reason",
)  # fmt: skip
ENTRY_SCHEMA = pa.schema(
    [
        ("list_id", pa.string()),
        ("pack_id", pa.string()),
        ("rule_version", pa.date32()),
        ("subject_id", pa.string()),
        ("record_id", pa.string()),
        ("starts", pa.date32()),
        ("planned_end", pa.date32()),
        ("ends", pa.date32()),
        ("removed_by", pa.string()),
        ("reason", pa.string()),
        ("category", pa.string()),
        ("agency", pa.string()),
        ("active", pa.bool_()),
        ("removed_on", pa.date32()),
        ("version", pa.int64()),
    ]
)
RATING_SCHEMA = pa.schema(
    [
        ("rating_id", pa.string()),
        ("subject_id", pa.string()),
        ("grade", pa.string()),
        ("score", pa.float64()),
    ]
)
ENTRY_ORDER = [("subject_id", "ascending"), ("list_id", "ascending"), ("record_id", "ascending")]
RATING_ORDER = [("subject_id", "ascending"), ("rating_id", "ascending")]


def entries_table(book: Rulebook, entries: list[Entry], as_of: dt.date) -> pa.Table:
    """The Python engine's entries as the output table."""
    versions = {id(rule): i for rules in book.lists.values() for i, rule in enumerate(rules)}
    rows = [
        {
            "list_id": e.list_id,
            "pack_id": e.rule.pack.id,
            "rule_version": e.rule.version.in_force,
            "subject_id": e.subject,
            "record_id": e.record.id,
            "starts": e.starts,
            "planned_end": e.planned_end,
            "ends": e.ends,
            "removed_by": e.removed_by,
            "reason": e.reason,
            "category": e.record.category,
            "agency": e.record.agency,
            "active": e.active_on(as_of),
            "removed_on": e.removed_on,
            "version": versions[id(e.rule)],
        }
        for e in entries
    ]
    return pa.Table.from_pylist(rows, schema=ENTRY_SCHEMA)


def ratings_table(ratings: list[Rating]) -> pa.Table:
    """The Python engine's ratings as the output table."""
    rows = [
        {"rating_id": r.rating_id, "subject_id": r.subject, "grade": r.grade, "score": r.score}
        for r in ratings
    ]
    return pa.Table.from_pylist(rows, schema=RATING_SCHEMA)
