"""The feed events of a label run: what changed since the previous run, found by comparing the
run's tables (see ``batch.output``) with the stored previous run column by column.

``entry.added`` / ``entry.removed`` for list entries that became active or stopped being so
(a removal whose rule sets a deletion deadline carries it as ``deletion``, with the run's date
as ``taken_down_on``: the day the run took the entry down),
``rating.changed`` for grades that differ, and ``measure.started`` / ``measure.ended`` for the
measures in force (kept in ``measures_in_force`` from one run to the next; see
``measure_rows``). Each event carries the disclosure class and source agency of what it
derives from, so that the feed shows it only to callers who may read that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, select

from socialcredit.core.engine.deletions import explain_removal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import disclosure_of, rating_disclosure
from socialcredit.services.labelling.measure_rows import measure_events_from_table
from socialcredit.store import tables as t

_KEY = ("list_id", "subject_id", "record_id")
_SHOWN = pa.schema([(name, pa.string()) for name in (*_KEY, "category", "agency")])
_GRADES = pa.schema([(n, pa.string()) for n in ("rating_id", "subject_id", "previous")])


def label_events(
    db: Connection, book: Rulebook, as_of: dt.date, found: tuple[pa.Table, pa.Table, pa.Table]
) -> list[dict[str, Any]]:
    """The events of a run (its entries, ratings and measures tables) against the latest
    stored run; call before storing the new run. Updates ``measures_in_force``."""
    entries, ratings, measures = found
    last = db.execute(select(t.label_runs).order_by(t.label_runs.c.id.desc()).limit(1)).first()
    active = entries.filter(pc.field("active")).select(_SHOWN.names)
    previous = _entries_of(db, last)
    added = active.filter(pc.invert(pc.is_in(_keys(active), value_set=_keys(previous))))
    removed = previous.filter(pc.invert(pc.is_in(_keys(previous), value_set=_keys(active))))
    events = [_entry_event(book, "entry.added", row) for row in added.to_pylist()]
    gone = [_entry_event(book, "entry.removed", row) for row in removed.to_pylist()]
    _add_deletions(book, gone, entries.filter(pc.is_in(_keys(entries), _keys(removed))), as_of)
    events += gone + _rating_events(book, _grades_of(db, last), ratings)
    events += measure_events_from_table(db, measures)
    now = dt.datetime.now(dt.UTC)
    return [{"at": now, **event} for event in events]


def _keys(table: pa.Table) -> pa.Array:
    """One text key per entry: list, subject and record."""
    joined = pc.binary_join_element_wise(*(table[name] for name in _KEY), "\x1f")
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def _entries_of(db: Connection, run: Any) -> pa.Table:
    """The entries active in a run on its own date, with category and source agency, in the
    order they were stored."""
    if run is None:
        return _SHOWN.empty_table()
    e, r = t.list_entries, t.records
    query = (
        select(e.c.list_id, e.c.subject_id, e.c.record_id, r.c.category, r.c.agency)
        .join(r, r.c.id == e.c.record_id)
        .where(e.c.run_id == run.id, e.c.starts <= run.as_of)
        .where((e.c.ends.is_(None)) | (e.c.ends > run.as_of))
        .order_by(e.c.id)
    )
    return _table(db.execute(query).all(), _SHOWN)


def _grades_of(db: Connection, run: Any) -> pa.Table:
    if run is None:
        return _GRADES.empty_table()
    r = t.ratings
    query = select(r.c.rating_id, r.c.subject_id, r.c.grade).where(r.c.run_id == run.id)
    return _table(db.execute(query).all(), _GRADES)


def _table(rows: Sequence[Any], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema)


def _entry_event(book: Rulebook, kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": kind,
        "subject_id": row["subject_id"],
        "category": row["category"],
        "disclosure": disclosure_of(book, row["category"]) or "restricted",
        "agency": row["agency"],
        "payload": {"list": row["list_id"], "record": row["record_id"]},
    }


def _add_deletions(
    book: Rulebook, removed: list[dict[str, Any]], ended: pa.Table, as_of: dt.date
) -> None:
    """Give each ``entry.removed`` event whose entry (a row of ``ended``, the run's entries
    that were active in the previous run and are not now) a removal with a deadline ended its
    deletion deadline, and the run's date as the day it was taken down."""
    rows = {(x["list_id"], x["subject_id"], x["record_id"]): x for x in ended.to_pylist()}
    for event in removed:
        key = (event["payload"]["list"], event["subject_id"], event["payload"]["record"])
        row = rows.get(key)
        if row is None:
            continue
        rule = book.lists[row["list_id"]][row["version"]]
        dates = (row["planned_end"], row["removed_on"], row["removed_by"])
        deletion = explain_removal(book, rule, *dates, as_of)
        if deletion is not None:
            event["payload"]["deletion"] = {**deletion, "taken_down_on": as_of.isoformat()}


def _rating_events(book: Rulebook, previous: pa.Table, ratings: pa.Table) -> list[dict[str, Any]]:
    """``rating.changed`` for each rating and subject whose grade differs from the previous
    run's (one side may be missing), by rating and subject."""
    current = ratings.select(["rating_id", "subject_id", "grade"])
    both = current.join(previous, ["rating_id", "subject_id"], join_type="full outer")
    same = pc.fill_null(pc.equal(both["grade"], both["previous"]), False)
    changed = both.filter(pc.invert(same)).sort_by(
        [("rating_id", "ascending"), ("subject_id", "ascending")]
    )
    return [
        {
            "kind": "rating.changed",
            "subject_id": row["subject_id"],
            "category": None,
            "disclosure": rating_disclosure(book, row["rating_id"]),
            "agency": None,
            "payload": {"rating": row["rating_id"], "from": row["previous"], "to": row["grade"]},
        }
        for row in changed.to_pylist()
    ]
