"""Bulk screening and the linkage review queue in the agency console.

Screening: a compliance officer uploads a CSV, workbook or JSON Lines file of counterparties,
names an action, and reads each row's matches with the reasons they matched, the entries and
measures behind them and the decision. The page shows at most ``PAGE_ROWS`` rows (those with
a match first); the whole report is offered as CSV, workbook and JSON, kept a short while for
the session that screened (``web.screening_results``), so that downloading does not screen
again and the page does not grow with the file. Linkage: the candidates waiting for review,
each accepted or rejected with the clerk's reason through the review use case, which writes
the audit log (an agency sees only its own candidates)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from socialcredit.core.access import Principal
from socialcredit.core.errors import UnknownAction
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.context import Context
from socialcredit.services.linkage.review import (
    LinkageRefused,
    UnknownCandidate,
    pending,
    review,
)
from socialcredit.services.screening.files import as_json, read_counterparties
from socialcredit.services.screening.screen import ScreeningRefused, ScreeningReport, screen
from socialcredit.web.deps import StateDep
from socialcredit.web.guard import check_csrf, require_role
from socialcredit.web.public import Day
from socialcredit.web.refusals import PortalError
from socialcredit.web.screening_results import download_links, session_of, shelf
from socialcredit.web.templating import render
from socialcredit.web.uploads import agency_form, uploaded_file

router = APIRouter(include_in_schema=False)
SCREENED = (".csv", ".xlsx", ".jsonl", ".ndjson")
MAX_ROWS = 10_000
MAX_ID = 2**31 - 1
PAGE_ROWS = 200  # rows shown on the page; every row is in the downloads
DAY = TypeAdapter(Day)


@router.get("/agency/screening", response_class=HTMLResponse)
def screening_form(request: Request, app: StateDep) -> HTMLResponse:
    require_role(request, "agency")
    return render(request, "agency_screening.html", actions=sorted(app.book.actions), found=None)


@router.post("/agency/screening", response_class=HTMLResponse)
async def screening(request: Request, app: StateDep) -> HTMLResponse:
    """Read the form (the session checked first, the body capped), screen in a worker
    thread, and show the report with its downloads."""
    caller, form = await agency_form(request, app.max_body_bytes)
    upload = uploaded_file(form, "counterparties")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in SCREENED:
        raise PortalError(415, "Upload a .csv, .xlsx or .jsonl file of counterparties.")
    data = await upload.read(app.max_body_bytes + 1)
    if len(data) > app.max_body_bytes:
        raise PortalError(413, f"The file is over {app.max_body_bytes} bytes.")
    asked = _asked(app, {k: str(form.get(k, ""))[:500] for k in ("action", "as_of", "purpose")})
    report = await run_in_threadpool(_screen, app, caller, data, suffix, asked)
    found = as_json(report)
    token = shelf(request).keep(session_of(request), report)
    return render(
        request,
        "agency_screening.html",
        actions=sorted(app.book.actions),
        found=found,
        shown=_first_rows(found["results"]),
        downloads=download_links(token, report),
        file=upload.filename or "upload",
        **asked,
    )


def _first_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the page shows: those with a match first, in file order, then the others,
    at most ``PAGE_ROWS``."""
    matched = [r for r in results if r["matches"]]
    return (matched + [r for r in results if not r["matches"]])[:PAGE_ROWS]


def _asked(app: Context, form: dict[str, str]) -> dict[str, Any]:
    """The action (one of the packs', or none), the date (blank: the label run's) and the
    purpose, as the form sent them."""
    action = form["action"].strip() or None
    if action is not None and action not in app.book.actions:
        raise PortalError(422, f"Unknown action {action!r}.")
    try:
        as_of = DAY.validate_python(form["as_of"].strip()) if form["as_of"].strip() else None
    except ValidationError:
        raise PortalError(422, "Please check the form: the date is YYYY-MM-DD.") from None
    purpose = form["purpose"].strip() or "agency console screening"
    return {"action": action, "as_of": as_of, "purpose": purpose}


def _screen(
    app: Context, caller: Principal, data: bytes, suffix: str, asked: dict[str, Any]
) -> ScreeningReport:
    with tempfile.TemporaryDirectory(prefix="socialcredit-screen-") as folder:
        path = Path(folder) / f"counterparties{suffix}"
        path.write_bytes(data)
        try:
            parties = read_counterparties(path)
        except UnreadableFile as error:
            message = str(error).replace(str(path), "the file")
            raise PortalError(422, message, "The file cannot be read") from None
    if not parties or len(parties) > MAX_ROWS:
        raise PortalError(422, f"The file has {len(parties)} rows; send 1 to {MAX_ROWS}.")
    try:
        return screen(app.engine, app.book, caller, parties, **asked)
    except (ScreeningRefused, UnknownAction) as error:
        raise PortalError(403, str(error)) from None


@router.get("/agency/linkage", response_class=HTMLResponse)
def linkage_queue(
    request: Request,
    app: StateDep,
    done: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    outcome: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """The candidates waiting for review, the most probable first."""
    caller = require_role(request, "agency")
    waiting = _linkage(lambda: pending(app.engine, caller))
    return render(
        request,
        "agency_linkage.html",
        candidates=waiting,
        done=done,
        outcome=outcome if outcome in ("accepted", "rejected") else "",
    )


@router.post("/agency/linkage/{candidate_id}")
def linkage_review(
    request: Request,
    app: StateDep,
    candidate_id: int,
    decision: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    caller = require_role(request, "agency")
    check_csrf(request, csrf)
    if decision not in ("accept", "reject") or not 1 <= candidate_id <= MAX_ID:
        raise PortalError(422, "Choose to accept or to reject the candidate.")
    done = _linkage(lambda: review(app.engine, caller, candidate_id, decision == "accept", reason))
    return RedirectResponse(f"/agency/linkage?done={candidate_id}&outcome={done['status']}", 303)


def _linkage(call: Any) -> Any:
    """Run a review use case; another agency's candidate is 404, as one that does not exist."""
    try:
        return call()
    except UnknownCandidate as error:
        raise PortalError(404, str(error)) from None
    except LinkageRefused as error:
        raise PortalError(422, str(error)) from None
