"""The feed events of one loaded chunk: a record accepted, corrected, or given a status, each
with its category's disclosure class and the submitting agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.store import tables as t

Known = dict[str, tuple[str, str]]  # record id -> (subject, category)


def chunk_events(db: Connection, book: Rulebook, agency: str, writes: Any) -> list[dict[str, Any]]:
    """Feed events for what the chunk's ``writes`` (a ``loader.Writes``) change."""
    now = dt.datetime.now(dt.UTC)
    changed = {s["record_id"] for s in writes.statuses} | set(writes.corrections)
    known: Known = {r["id"]: (r["subject_id"], r["category"]) for r in writes.records}
    missing = changed - set(known)
    if missing:
        query = select(t.records.c.id, t.records.c.subject_id, t.records.c.category)
        for row in db.execute(query.where(t.records.c.id.in_(missing))):
            known[row.id] = (row.subject_id, row.category)

    def event(kind: str, rid: str, extra: dict[str, Any]) -> dict[str, Any]:
        subject, category = known[rid]
        return {
            "at": now,
            "kind": kind,
            "subject_id": subject,
            "category": category,
            "disclosure": book.categories[category][1].disclosure,
            "agency": agency,
            "payload": {"record": rid, "agency": agency, **extra},
        }

    events = [event("record.accepted", r["id"], {"doc_no": r["doc_no"]}) for r in writes.records]
    events += [event("record.corrected", rid, {}) for rid in writes.corrections]
    events += [
        event(
            "record.status", s["record_id"], {"status": s["status"], "date": s["date"].isoformat()}
        )
        for s in writes.statuses
    ]
    return events
