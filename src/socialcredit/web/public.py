"""The public portal: search, subject pages and printable credit reports, as the public sees
them (``PUBLIC``: public-disclosure data only, persons' identity numbers masked)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator, Field

from socialcredit.api.deps import AppState, StateDep
from socialcredit.core.access import Principal
from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id
from socialcredit.services.files.report import credit_report
from socialcredit.services.lists.query import latest_run
from socialcredit.services.public.search import search_subjects, subject_of_record
from socialcredit.services.records.history import status_changes
from socialcredit.web.errors import PortalError
from socialcredit.web.templating import render
from socialcredit.web.timeline import timeline

router = APIRouter(include_in_schema=False)
PUBLIC = Principal(key_id="portal", role="public", name="web portal")
PAGE_SIZE = 20
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]


def _blank_is_none(value: object) -> object:
    """A date field left blank (a form's default state) means "not given": today."""
    return (value.strip() or None) if isinstance(value, str) else value


AsOf = Annotated[Day | None, BeforeValidator(_blank_is_none), Query()]


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    app: StateDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    found, run = None, None
    if q.strip():
        with app.engine.connect() as db:
            offset = (page - 1) * PAGE_SIZE
            found = search_subjects(db, app.book, PUBLIC, q, offset, PAGE_SIZE)
            run = latest_run(db)
    pages = -(-found.total // PAGE_SIZE) if found else 0
    counted_on = run["as_of"] if run else None  # the date the "On lists" count is of
    return render(
        request, "home.html", q=q, found=found, page=page, pages=pages, counted_on=counted_on
    )


def resolve(app: AppState, ref: str) -> str:
    """The subject a link names: a USCC or resident ID, or ``r-<id>`` of a public record."""
    if ref.startswith("r-"):
        with app.engine.connect() as db:
            found = subject_of_record(db, app.book, PUBLIC, ref[2:42])
        if found is None:
            raise PortalError(404, "No public record has this reference.")
        return found
    try:
        return parse_id(ref).code
    except InvalidIdentifier as error:
        raise PortalError(404, f"This is not a subject's identity number: {error}") from None


def public_report(app: AppState, ref: str, as_of: dt.date | None) -> dict[str, Any]:
    code = resolve(app, ref)
    day = as_of or dt.date.today()
    return credit_report(app.engine, app.book, code, day, PUBLIC, "public portal")


@router.get("/subjects/{ref}", response_class=HTMLResponse)
def subject(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> HTMLResponse:
    report = public_report(app, ref, as_of)
    return render(request, "subject.html", ref=ref, **file_context(app, report))


@router.get("/subjects/{ref}/report", response_class=HTMLResponse)
def printable(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> HTMLResponse:
    report = public_report(app, ref, as_of)
    context = file_context(app, report)
    return render(request, "report.html", ref=ref, expanded=True, **context)  # measures in full


def file_context(app: AppState, report: dict[str, Any]) -> dict[str, Any]:
    """What the templates of a credit file need besides the report: its timeline (with the
    status history of the records shown) and the pack of each category."""
    shown = [r["id"] for r in report["records"]]
    changes = status_changes(app.engine, shown, dt.date.fromisoformat(report["as_of"]))
    return {
        "report": report,
        "events": timeline(report, changes),
        "category_packs": category_packs(app),
    }


def category_packs(app: AppState) -> dict[str, str]:
    """Which pack defines each category (to link a record's legal basis to its source)."""
    return {category: found[0].id for category, found in app.book.categories.items()}
