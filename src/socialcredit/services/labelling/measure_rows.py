"""The measures in force after a label run as one Arrow table (``MEASURES``: the rows of
``measures_in_force`` with their payload flattened), whichever engine ran, and the
``measure.started`` / ``measure.ended`` events that the difference with the stored ones makes.

The Python engine converts its ``AppliedMeasure`` objects (``measures_table_of``); the batch
engines compute the table in SQL (``batch.measures_plan.measures_table``), with no Python
object per entry, rating or measure.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, delete, select

from socialcredit.batch.measure_rows import MEASURES, measure_rows
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure, measures_of
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import disclosure_of, rating_disclosure
from socialcredit.store import tables as t
from socialcredit.store.bulk import insert_rows

if TYPE_CHECKING:
    from socialcredit.batch.runner import BatchFound


def batch_measures(found: BatchFound, book: Rulebook, as_of: dt.date) -> pa.Table:
    """The measures in force after a batch run, computed by its backend."""
    from socialcredit.batch.measures_plan import measures_table  # heavy imports, only when asked

    return measures_table(found.backend, book, found.output.plan, as_of)


def python_measures(
    book: Rulebook, facts: MemoryFacts, found: tuple[list[Entry], list[Rating]], as_of: dt.date
) -> pa.Table:
    """The measures in force that the Python engine's entries and ratings produce."""
    return measures_table_of(book, measures_of(book, facts, found, as_of))


def measures_table_of(book: Rulebook, applied: list[AppliedMeasure]) -> pa.Table:
    return pa.Table.from_pylist([_flat(book, m) for m in applied], schema=MEASURES)


def _flat(book: Rulebook, applied: AppliedMeasure) -> dict[str, Any]:
    measure, memo, trigger = applied.measure, applied.memorandum, applied.trigger
    row: dict[str, Any] = dict.fromkeys(MEASURES.names)
    if isinstance(trigger, Entry):
        ref = f"entry:{trigger.list_id}:{trigger.record.id}"
        row |= {"category": trigger.record.category, "agency": trigger.record.agency}
        row["disclosure"] = disclosure_of(book, trigger.record.category) or "restricted"
        row |= {"trigger_kind": "list_entry", "trigger_list": trigger.list_id}
        row["trigger_record"] = trigger.record.id
    else:
        ref = f"rating:{trigger.rating_id}:{trigger.subject}"
        row["disclosure"] = rating_disclosure(book, trigger.rating_id)
        row |= {"trigger_kind": "rating", "trigger_rating": trigger.rating_id}
        row["trigger_grade"] = trigger.grade
    return row | {
        "key": f"{memo.memorandum_id}|{measure.id}|{applied.subject}|{ref}",
        "subject_id": applied.subject,
        "measure": measure.id,
        "memorandum": memo.memorandum_id,
        "pack": memo.pack.id,
        "effect": measure.effect,
        "applied_by": measure.agency,
        "domain": measure.domain,
        "target": applied.target,
        "via": applied.via.org if applied.via else None,
        "trigger_subject": trigger.subject,
        "starts": applied.starts,
        "until": applied.ends,
    }


def measure_events_from_table(db: Connection, table: pa.Table) -> list[dict[str, Any]]:
    """Events for the measures of ``table`` (``MEASURES``) that started or ended since
    the stored ones; ``measures_in_force`` follows the change. A key may repeat (a measure
    reached twice by the same trigger); it is one measure in force."""
    stored = t.measures_in_force
    previous = list(db.execute(select(stored)))
    before = pa.array([row.key for row in previous], pa.string())
    started = measure_rows(table.filter(pc.invert(pc.is_in(table["key"], value_set=before))))
    still = pc.is_in(before, value_set=table["key"].combine_chunks()).to_pylist()
    ended = [row for row, kept in zip(previous, still, strict=True) if not kept]
    gone = [row.key for row in ended]
    for start in range(0, len(gone), 500):
        db.execute(delete(stored).where(stored.c.key.in_(gone[start : start + 500])))
    rows = list({row["key"]: row for row in started}.values())  # per key: last, in first place
    insert_rows(db, stored, rows)
    events = [_measure_event("measure.started", row) for row in rows]
    return events + [_measure_event("measure.ended", row._asdict()) for row in ended]


def _measure_event(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, **{k: v for k, v in row.items() if k != "key"}}
