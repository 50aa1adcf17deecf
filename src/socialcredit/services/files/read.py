"""The use cases "read a credit file" and "read who accessed it": access checked first, the
read logged in the transaction that made it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.access import Principal
from socialcredit.core.identifiers import parse_id
from socialcredit.services.access.visibility import visible_file
from socialcredit.services.audit import audit_read
from socialcredit.services.context import Context
from socialcredit.services.decisions.decide import credit_file_in
from socialcredit.services.dueprocess.objections import disputed
from socialcredit.services.errors import forbidden
from socialcredit.store.audit_log import entries
from socialcredit.store.public_reads import public_reads

ACCESS_LOG_FIELDS = ("seq", "at", "actor", "action", "purpose", "result")


def own_or_reader(caller: Principal, code: str) -> None:
    """A subject key reads only its own file: refused for any other, whether it exists or not."""
    if caller.role == "subject" and caller.subject != code:
        raise forbidden("a subject key reads only its own file")


def read_credit_file(
    ctx: Context,
    caller: Principal,
    subject: str,
    as_of: dt.date | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    """The credit file on ``as_of`` (default today) as far as the caller may see it, each
    record marked ``disputed`` while an objection to it is open; the read is logged."""
    code = parse_id(subject).code
    own_or_reader(caller, code)
    day = as_of or dt.date.today()
    with ctx.engine.begin() as db:
        visible = visible_file(credit_file_in(db, ctx.book, code, day), caller, ctx.book)
        open_objections = disputed(db, [r["id"] for r in visible["records"]])
        for record in visible["records"]:
            record["disputed"] = record["id"] in open_objections
        audit_read(
            db,
            caller,
            "subject.read",
            subject=code,
            purpose=purpose,
            result=f"{len(visible['records'])} records shown",
            revisions=ctx.book.revisions(),
        )
    return visible


def read_access_log(ctx: Context, caller: Principal, subject: str) -> dict[str, Any]:
    """Who read the subject's file, decided about him, and why: for the subject and auditors."""
    code = parse_id(subject).code
    if caller.role not in ("subject", "auditor", "admin"):
        raise forbidden("the access log is for the subject and auditors")
    own_or_reader(caller, code)
    with ctx.engine.connect() as db:
        found = entries(db, subject=code)
        counted = public_reads(db, code)
    return {
        "subject": code,
        "entries": [{k: e[k] for k in ACCESS_LOG_FIELDS} for e in found],
        "public_reads": [{**r, "day": r["day"].isoformat()} for r in counted],
    }
