"""The use case "the subject's own papers": his objections and repair applications, his
access log and which of his records are disputed (each read through its own access check)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from socialcredit.core.access import Principal
from socialcredit.services.context import Context
from socialcredit.services.dueprocess.objections import disputed, list_objections
from socialcredit.services.dueprocess.repair import get_repair
from socialcredit.services.errors import forbidden
from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries

LIMIT = 200


def own_papers(ctx: Context, caller: Principal, record_ids: list[str]) -> dict[str, Any]:
    """The papers of the subject of a subject key (newest first, at most ``LIMIT`` each)."""
    if caller.role != "subject" or not caller.subject:
        raise forbidden("a subject's own papers are for his own key")
    subject = caller.subject
    objections = list_objections(ctx.engine, ctx.book, caller, None, None, None, 0, LIMIT)
    with ctx.engine.connect() as db:
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
        "repairs": [get_repair(ctx.engine, ctx.book, caller, i) for i in repair_ids],
        "access_log": list(reversed(log))[:LIMIT],
        "disputed": open_records,
    }
