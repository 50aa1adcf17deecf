"""``GET /v1/subjects/{id}``: the credit file as the caller may see it; its access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import ApiError
from socialcredit.core.access import Principal, mask_id
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.decide import credit_file
from socialcredit.services.objections import disputed
from socialcredit.store.audit_log import append, entries

router = APIRouter(prefix="/v1/subjects", tags=["subjects"])


def _own_or_reader(caller: Principal, subject: str) -> None:
    """A subject key reads only its own file: 403 for any other, whether it exists or not."""
    if caller.role == "subject" and caller.subject != subject:
        raise ApiError(403, "forbidden", "a subject key reads only its own file")


@router.get("/{subject_id}", summary="The credit file, as far as the caller may see it")
def read(
    subject_id: str,
    app: StateDep,
    caller: PrincipalDep,
    as_of: dt.date | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    code = parse_id(subject_id).code
    _own_or_reader(caller, code)
    found = credit_file(app.engine, app.book, code, as_of or dt.date.today())
    visible = _visible(found, caller, app.book)
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


def _visible(found: dict[str, Any], caller: Principal, book: Rulebook) -> dict[str, Any]:
    subject = found["subject"]["id"]

    def readable(category: str, agency: str | None) -> bool:
        disclosure = book.categories[category][1].disclosure
        return caller.may_read(disclosure, subject, agency)

    records = [r for r in found["records"] if readable(r["category"], r["agency"])]
    entries_ = [
        e
        for e in found["entries"]
        if all(readable(r["category"], r["agency"]) for r in e["records"])
    ]
    result = {**found, "records": records, "entries": entries_}
    if caller.role == "public":
        result["measures"] = [
            m
            for m in found["measures"]
            if m["trigger"]["kind"] == "list_entry"
            and any(e["list"] == m["trigger"]["list"] for e in entries_)
        ]
        result["ratings"] = []
    if caller.masks_identities() and found["subject"]["kind"] == "person":
        result["subject"] = {**found["subject"], "id": mask_id(subject)}
    return result
