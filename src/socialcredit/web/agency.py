"""The agency console: upload a batch and read its per-row report, check a decision with its
explanation, list entries with filters, and read the feed, all within the key's scope."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcredit.core.access import Principal
from socialcredit.io.mappings import load_mapping, shipped_mappings
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.context import Context
from socialcredit.services.decisions.answer import answer
from socialcredit.services.feed.read import read_feed
from socialcredit.services.lists.query import EntryQuery
from socialcredit.services.lists.read import read_entries
from socialcredit.services.models.requests import DecisionRequest
from socialcredit.services.records.submit import submit_mapped, submit_records
from socialcredit.web.deps import StateDep
from socialcredit.web.guard import as_page, require_role
from socialcredit.web.public import AsOf
from socialcredit.web.refusals import PortalError
from socialcredit.web.templating import render
from socialcredit.web.uploads import agency_form, uploaded_file

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Short = Annotated[str, Query(max_length=128)]


@router.get("/agency", response_class=HTMLResponse)
def console(request: Request, app: StateDep) -> HTMLResponse:
    caller = require_role(request, "agency")
    return render(request, "agency.html", **_forms(app, caller))


def _forms(app: Context, caller: Principal) -> dict[str, Any]:
    return {
        "mappings": agency_mappings(caller),
        "actions": sorted(app.book.actions),
        "lists": sorted(app.book.lists),
        "list_titles": {i: rules[0].definition.title for i, rules in app.book.lists.items()},
        "categories": sorted(caller.categories),
    }


@router.post("/agency/upload", response_class=HTMLResponse)
async def upload(request: Request, app: StateDep) -> HTMLResponse:
    """The session is checked before the body is read, and the body read up to the cap;
    what touches the store runs in worker threads, off the event loop."""
    caller, form = await agency_form(request, app.max_body_bytes)
    batch = uploaded_file(form, "batch")
    if batch is None:
        raise PortalError(422, "Choose a .csv or .jsonl file to upload.")
    layout = str(form.get("mapping", ""))[:100]
    suffix = Path(batch.filename or "").suffix.lower()
    if suffix not in (UPLOADS_MAPPED if layout else UPLOADS):
        raise PortalError(415, _unsupported(layout), "Unsupported file")
    data = await batch.read(app.max_body_bytes + 1)
    if len(data) > app.max_body_bytes:
        raise PortalError(413, f"The file is over {app.max_body_bytes} bytes.")
    name = batch.filename or "upload"
    report = await run_in_threadpool(_ingest, app, caller, data, suffix, layout, name)
    return render(request, "agency_upload.html", report={**report, "file": name})


UPLOADS = (".csv", ".jsonl", ".ndjson")
UPLOADS_MAPPED = (".csv", ".xlsx")


def _unsupported(layout: str) -> str:
    if layout:
        return "A file read through a mapping is a .csv (any encoding) or an .xlsx workbook."
    return "Upload a .csv or a .jsonl (JSON Lines) file."


def _ingest(
    app: Context, caller: Principal, data: bytes, suffix: str, layout: str, name: str
) -> dict[str, Any]:
    """Submit the upload as the API does (the key's categories only; logged), through the
    chosen shipped mapping if any."""

    def submit() -> dict[str, Any]:
        if layout:
            return submit_mapped(app, caller, data, suffix, layout, name).as_dict()
        return submit_records(app, caller, data, suffix, "the file").as_dict()

    try:
        return as_page(submit)
    except UnreadableFile as error:
        raise PortalError(422, str(error), "The file cannot be read") from None


def agency_mappings(caller: Principal) -> dict[str, str]:
    """The shipped mappings for the caller's agency, id -> title."""
    found = {}
    for name, path in shipped_mappings().items():
        spec = load_mapping(path).spec
        if spec.agency == caller.agency and caller.may_submit(spec.category):
            found[name] = spec.title
    return found


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
        decision = as_page(
            lambda: answer(app, caller, DecisionRequest.model_validate(asked).question())
        )
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
    found, rows = None, []
    if list_id:
        query = EntryQuery(list_id, as_of, active, "run")
        offset = (page - 1) * PAGE_SIZE
        shown = as_page(
            lambda: read_entries(app, caller, query, (offset, PAGE_SIZE), "agency console")
        )
        found, rows = shown.found, shown.rows
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
    found = read_feed(app, caller, after, PAGE_SIZE)
    return render(request, "agency_feed.html", after=after, found=found)
