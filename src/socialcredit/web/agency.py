"""The agency console: upload a batch and read its per-row report, check a decision with its
explanation, list entries with filters, and read the feed, all within the key's scope."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse

from socialcredit.api.deps import AppState, StateDep
from socialcredit.api.routes.decisions import DecisionRequest
from socialcredit.api.routes.decisions import one as decide_route
from socialcredit.api.routes.feed import feed as feed_route
from socialcredit.core.access import Principal
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.lists.definitions import UnknownList
from socialcredit.services.lists.query import EntryQuery, find_entries, log_read, present
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.audit_log import append
from socialcredit.web.errors import PortalError
from socialcredit.web.guard import check_csrf, require_role, via_api
from socialcredit.web.public import AsOf
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
SUFFIXES = {".csv": ".csv", ".jsonl": ".jsonl", ".ndjson": ".jsonl"}
PAGE_SIZE = 50
Short = Annotated[str, Query(max_length=128)]


@router.get("/agency", response_class=HTMLResponse)
def console(request: Request, app: StateDep) -> HTMLResponse:
    caller = require_role(request, "agency")
    return render(request, "agency.html", **_forms(app, caller))


def _forms(app: AppState, caller: Principal) -> dict[str, Any]:
    return {
        "actions": sorted(app.book.actions),
        "lists": sorted(app.book.lists),
        "list_titles": {i: rules[0].definition.title for i, rules in app.book.lists.items()},
        "categories": sorted(caller.categories),
    }


@router.post("/agency/upload", response_class=HTMLResponse)
async def upload(
    request: Request,
    app: StateDep,
    batch: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    caller = require_role(request, "agency")
    check_csrf(request, csrf)
    suffix = SUFFIXES.get(Path(batch.filename or "").suffix.lower())
    if suffix is None:
        raise PortalError(415, "Upload a .csv or a .jsonl (JSON Lines) file.", "Unsupported file")
    data = await batch.read(app.max_body_bytes + 1)
    if len(data) > app.max_body_bytes:
        raise PortalError(413, f"The file is over {app.max_body_bytes} bytes.")
    report = _ingest(app, caller, data, suffix, batch.filename or "upload")
    return render(request, "agency_upload.html", report=report)


def _ingest(
    app: AppState, caller: Principal, data: bytes, suffix: str, name: str
) -> dict[str, Any]:
    """Ingest the upload as the API does (the key's categories only) and log it."""
    agency = caller.agency or ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"batch{suffix}"
        path.write_bytes(data)
        try:
            found = ingest_file(app.engine, app.book, path, agency, allowed=caller.categories)
        except UnreadableFile as error:
            message = str(error).replace(str(path), "the file")
            raise PortalError(422, message, "The file cannot be read") from None
    report = {**found.as_dict(), "file": name}
    with app.engine.begin() as db:
        result = f"batch {report['batch'][:12]}: {report['accepted']} accepted, "
        append(
            db,
            {
                "actor": caller.actor,
                "action": "records.submit",
                "result": result + f"{report['rejected']} rejected",
            },
        )
    return report


@router.get("/agency/decide", response_class=HTMLResponse)
def check_decision(
    request: Request,
    app: StateDep,
    subject: Annotated[str, Query(max_length=64)] = "",
    action: Short = "",
    as_of: AsOf = None,
    purpose: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    caller = require_role(request, "agency")
    decision = None
    if subject.strip() and action:
        asked = {
            "subject": subject.strip(),
            "action": action,
            "as_of": as_of,
            "purpose": purpose or "agency console",
        }
        decision = via_api(lambda: decide_route(DecisionRequest.model_validate(asked), app, caller))
    return render(
        request,
        "agency_decide.html",
        decision=decision,
        subject=subject,
        action=action,
        as_of=as_of,
        purpose=purpose,
        **_forms(app, caller),
    )


@router.get("/agency/entries", response_class=HTMLResponse)
def entries(
    request: Request,
    app: StateDep,
    list_id: Annotated[str, Query(alias="list", max_length=128)] = "",
    as_of: AsOf = None,
    active: bool = True,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    caller = require_role(request, "agency")
    found = None
    if list_id:
        query = EntryQuery(list_id, as_of, active, "run")
        with app.engine.connect() as db:
            try:
                found = find_entries(db, app.book, caller, query, (page - 1) * PAGE_SIZE, PAGE_SIZE)
            except UnknownList:
                raise PortalError(404, f"No loaded pack defines a list {list_id!r}.") from None
        with app.engine.begin() as db:
            log_read(db, caller, "lists.entries", found, "agency console")
    rows = [present(row, caller) for row in found.rows] if found else []
    pages = -(-found.total // PAGE_SIZE) if found else 0
    return render(
        request,
        "agency_entries.html",
        found=found,
        rows=rows,
        list_id=list_id,
        as_of=as_of,
        active=active,
        page=page,
        pages=pages,
        **_forms(app, caller),
    )


@router.get("/agency/feed", response_class=HTMLResponse)
def events(
    request: Request,
    app: StateDep,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> HTMLResponse:
    caller = require_role(request, "agency")
    found = feed_route(app, caller, after, PAGE_SIZE)
    return render(request, "agency_feed.html", after=after, found=found)
