"""``GET /v1/feed?after=CURSOR``: ordered change events the caller is entitled to see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.core.access import mask_id
from socialcredit.store import tables as t

router = APIRouter(prefix="/v1/feed", tags=["feed"])


@router.get("", summary="Events after a cursor, oldest first; `next` is the cursor to send next")
def feed(
    app: StateDep,
    caller: PrincipalDep,
    after: int = Query(0, ge=0, le=2**31 - 1, description="the id of the last event seen"),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    cursor = after
    query = select(t.events).where(t.events.c.id > after).order_by(t.events.c.id)
    with app.engine.connect() as db:
        for row in db.execution_options(yield_per=500).execute(query):
            cursor = row.id
            if caller.may_read(row.disclosure, row.subject_id or "", row.payload.get("agency")):
                events.append(_event(row, caller.masks_identities()))
                if len(events) == limit:
                    break
    return {"events": events, "next": cursor}


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
