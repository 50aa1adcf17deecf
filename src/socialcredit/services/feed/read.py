"""The use case "read the feed": ordered change events after a cursor, as far as the caller
may read them, identity numbers masked for the public wherever they stand (the subject, a
trigger's subject in the payload, any other field)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from socialcredit.core.access import Principal
from socialcredit.services.access.visibility import event_condition, shown_to
from socialcredit.services.context import Context
from socialcredit.store import tables as t


def read_feed(ctx: Context, caller: Principal, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Up to ``limit`` events after the id ``after``, oldest first; ``next`` is the id of the
    last of them (or ``after`` when there are none): event ids are one sequence for all."""
    query = select(t.events).where(t.events.c.id > after).order_by(t.events.c.id).limit(limit)
    condition = event_condition(caller)
    if condition is not None:
        query = query.where(condition)
    with ctx.engine.connect() as db:
        rows = db.execute(query).all()
    events = [shown_to(caller, _event(row)) for row in rows]
    return {"events": events, "next": rows[-1].id if rows else after}


def _event(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "kind": row.kind,
        "subject": row.subject_id,
        "category": row.category,
        "payload": row.payload,
    }
