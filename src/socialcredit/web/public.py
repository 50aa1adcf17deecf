"""The public portal: search, subject pages and printable credit reports, as the public sees
them (``PUBLIC``: public-disclosure data only, persons' identity numbers masked)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator, Field

from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id
from socialcredit.services.access.principals import PORTAL_PUBLIC
from socialcredit.services.context import Context
from socialcredit.services.files.report import read_report
from socialcredit.services.public.search import record_subject, search
from socialcredit.services.records.history import shown_status_changes
from socialcredit.web.deps import StateDep
from socialcredit.web.refusals import PortalError
from socialcredit.web.templating import render
from socialcredit.web.timeline import timeline
from socialcredit.web.verify import issued

router = APIRouter(include_in_schema=False)
PUBLIC = PORTAL_PUBLIC
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
    found = None
    if q.strip():
        found = search(app, PUBLIC, q, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = -(-found.total // PAGE_SIZE) if found else 0
    counted_on = found.counted_on if found else None  # the date the "On lists" count is of
    return render(
        request, "home.html", q=q, found=found, page=page, pages=pages, counted_on=counted_on
    )


def resolve(app: Context, ref: str) -> str:
    """The subject a link names: a USCC or resident ID, or ``r-<id>`` of a public record."""
    if ref.startswith("r-"):
        found = record_subject(app, PUBLIC, ref[2:42])
        if found is None:
            raise PortalError(404, "No public record has this reference.")
        return found
    try:
        return parse_id(ref).code
    except InvalidIdentifier as error:
        raise PortalError(404, f"This is not a subject's identity number: {error}") from None


def public_report(app: Context, ref: str, as_of: dt.date | None) -> dict[str, Any]:
    return read_report(app, PUBLIC, resolve(app, ref), as_of, "public portal")


@router.get("/subjects/{ref}", response_class=HTMLResponse)
def subject(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> HTMLResponse:
    report = public_report(app, ref, as_of)
    return render(request, "subject.html", ref=ref, **file_context(app, report))


@router.get("/subjects/{ref}/report", response_class=HTMLResponse)
def printable(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> HTMLResponse:
    report = public_report(app, ref, as_of)
    context = {**file_context(app, report), **issued(request, app, report)}
    return render(request, "report.html", ref=ref, **context)


def file_context(app: Context, report: dict[str, Any]) -> dict[str, Any]:
    """What the templates of a credit file need besides the report: its timeline (with the
    status history of the records shown) and the pack of each category."""
    shown = [r["id"] for r in report["records"]]
    changes = shown_status_changes(app, shown, dt.date.fromisoformat(report["as_of"]))
    return {
        "report": report,
        "events": timeline(report, changes),
        "category_packs": category_packs(app),
    }


def category_packs(app: Context) -> dict[str, str]:
    """Which pack defines each category (to link a record's legal basis to its source)."""
    return {category: found[0].id for category, found in app.book.categories.items()}
