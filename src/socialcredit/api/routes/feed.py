"""``GET /v1/feed?after=CURSOR``: ordered change events the caller is entitled to see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.core.access import mask_id
from socialcredit.services.access.visibility import event_condition
from socialcredit.store import tables as t

router = APIRouter(prefix="/v1/feed", tags=["feed"], responses=AUTHENTICATED)


@router.get(
    "",
    summary="Events after a cursor, oldest first; `next` is the cursor to send next",
    description="Event kinds: record.accepted, record.corrected, record.status, entry.added, "
    "entry.removed, rating.changed, measure.started, measure.ended, and the outcomes of "
    "objections and repair. Only events the caller may read are returned, and `next` is the "
    "id of the last of them (or `after` when there are none): event ids are one sequence for "
    "all callers.",
)
def feed(
    app: StateDep,
    caller: PrincipalDep,
    after: int = Query(0, ge=0, le=2**31 - 1, description="the id of the last event seen"),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    query = select(t.events).where(t.events.c.id > after).order_by(t.events.c.id).limit(limit)
    condition = event_condition(caller)
    if condition is not None:
        query = query.where(condition)
    with app.engine.connect() as db:
        rows = db.execute(query).all()
    events = [_event(row, caller.masks_identities()) for row in rows]
    return {"events": events, "next": rows[-1].id if rows else after}


def _event(row: Any, mask: bool) -> dict[str, Any]:
    subject = mask_id(row.subject_id) if mask and row.subject_id else row.subject_id
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "kind": row.kind,
        "subject": subject,
        "category": row.category,
        "payload": row.payload,
    }
