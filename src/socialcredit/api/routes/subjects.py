"""``GET /v1/subjects/{id}``: the credit file as the caller may see it; its access log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError
from socialcredit.api.routes.lists import Purpose
from socialcredit.core.access import Principal
from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.core.identifiers import parse_id
from socialcredit.services.access.visibility import visible_file
from socialcredit.services.decisions.decide import credit_file
from socialcredit.services.dueprocess.objections import disputed
from socialcredit.services.files.report import credit_report
from socialcredit.store.audit_log import append, entries

router = APIRouter(prefix="/v1/subjects", tags=["subjects"], responses=AUTHENTICATED)
AsOf = Annotated[
    dt.date | None,
    Query(ge=EARLIEST, le=LATEST, description="the date asked about; default: today"),
]


def _own_or_reader(caller: Principal, subject: str) -> None:
    """A subject key reads only its own file: 403 for any other, whether it exists or not."""
    if caller.role == "subject" and caller.subject != subject:
        raise ApiError(403, "forbidden", "a subject key reads only its own file")


@router.get("/{subject_id}", summary="The credit file, as far as the caller may see it")
def read(
    subject_id: str,
    app: StateDep,
    caller: PrincipalDep,
    as_of: AsOf = None,
    purpose: Purpose = None,
) -> dict[str, Any]:
    code = parse_id(subject_id).code
    _own_or_reader(caller, code)
    found = credit_file(app.engine, app.book, code, as_of or dt.date.today())
    visible = visible_file(found, caller, app.book)
    with app.engine.begin() as db:
        open_objections = disputed(db, [r["id"] for r in visible["records"]])
        for record in visible["records"]:
            record["disputed"] = record["id"] in open_objections
        append(
            db,
            {
                "actor": caller.actor,
                "action": "subject.read",
                "subject": code,
                "purpose": purpose,
                "result": f"{len(visible['records'])} records shown",
                "revisions": app.book.revisions(),
            },
        )
    return visible


@router.get("/{subject_id}/report", summary="A dated credit report, with how to object or repair")
def report(
    subject_id: str,
    app: StateDep,
    caller: PrincipalDep,
    as_of: AsOf = None,
    purpose: Purpose = None,
) -> dict[str, Any]:
    code = parse_id(subject_id).code
    _own_or_reader(caller, code)
    return credit_report(app.engine, app.book, code, as_of or dt.date.today(), caller, purpose)


@router.get("/{subject_id}/access-log", summary="Who read this file, decided about it, and why")
def access_log(subject_id: str, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    code = parse_id(subject_id).code
    if caller.role not in ("subject", "auditor", "admin"):
        raise ApiError(403, "forbidden", "the access log is for the subject and auditors")
    _own_or_reader(caller, code)
    with app.engine.connect() as db:
        found = entries(db, subject=code)
    keep = ("seq", "at", "actor", "action", "purpose", "result")
    return {"subject": code, "entries": [{k: e[k] for k in keep} for e in found]}
