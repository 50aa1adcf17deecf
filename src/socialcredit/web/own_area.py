"""What the subject's own area reads besides the credit report: his objections and repair
applications, and his access log (all through the services' own access checks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from socialcredit.api.deps import AppState
from socialcredit.core.access import Principal
from socialcredit.services.dueprocess.objections import disputed, list_objections
from socialcredit.services.dueprocess.repair import get_repair
from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries

LIMIT = 200


def own_papers(app: AppState, caller: Principal, record_ids: list[str]) -> dict[str, Any]:
    """The subject's objections, repair applications, access log and disputed records."""
    subject = caller.subject or ""
    objections = list_objections(app.engine, app.book, caller, None, None, None, 0, LIMIT)
    with app.engine.connect() as db:
        ids = db.execute(
            select(t.repairs.c.id)
            .where(t.repairs.c.subject_id == subject)
            .order_by(t.repairs.c.id.desc())
            .limit(LIMIT)
        ).scalars()
        repair_ids = list(ids)
        log = entries(db, subject=subject)
        open_records = disputed(db, record_ids)
    return {
        "objections": list(reversed(objections["objections"])),
        "repairs": [get_repair(app.engine, app.book, caller, i) for i in repair_ids],
        "access_log": list(reversed(log))[:LIMIT],
        "disputed": open_records,
    }
