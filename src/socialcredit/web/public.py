"""The public portal: search, subject pages and printable credit reports, as the public sees
them (``PUBLIC``: public-disclosure data only, persons' identity numbers masked)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BeforeValidator, Field

from socialcredit.core.access import mask_id
from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import looks_like_person, parse_id
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
SEARCH_LIMITED = (
    "Too many searches from your address. Please wait a little and search again. "
    "A person is found by his full name or his identity number."
)
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
        throttle(request)
        found = search(app, PUBLIC, q, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = -(-found.total // PAGE_SIZE) if found else 0
    counted_on = found.counted_on if found else None  # the date the "On lists" count is of
    return render(
        request, "home.html", q=q, found=found, page=page, pages=pages, counted_on=counted_on
    )


def throttle(request: Request) -> None:
    """Refuse (429, with Retry-After: the seconds to wait) a search beyond the rate its
    client address may make (``services.public.throttle``; SOCIALCREDIT_SEARCH_RATE)."""
    address = request.client.host if request.client else "unknown"
    wait = request.app.state.search_buckets.take(address)
    if wait is not None:
        raise PortalError(429, SEARCH_LIMITED, headers={"Retry-After": str(wait)})


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


def public_report(app: Context, code: str, as_of: dt.date | None) -> dict[str, Any]:
    return read_report(app, PUBLIC, code, as_of, "public portal")


def link_ref(app: Context, ref: str, code: str) -> str:
    """What the page's links and address carry for the subject ``code`` named by ``ref``: a
    person's full identity number typed into the address is never echoed back; his pages
    are named by a public record of his (``r-<id>``, as search links them), or, with none,
    by his masked number."""
    if ref.startswith("r-") or not looks_like_person(code):
        return ref
    hits = search(app, PUBLIC, code, 0, 1).hits
    return hits[0].ref if hits else mask_id(code)


def _redirect(request: Request, ref: str, shown: str, suffix: str) -> Response | None:
    """A redirect from a full identity number to the record reference that stands for it,
    keeping the query (the date asked, the language chosen)."""
    if shown == ref or not shown.startswith("r-"):
        return None
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/subjects/{shown}{suffix}{query}", 303)


@router.get("/subjects/{ref}", response_class=HTMLResponse)
def subject(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> Response:
    code = resolve(app, ref)
    shown = link_ref(app, ref, code)
    if moved := _redirect(request, ref, shown, ""):
        return moved
    report = public_report(app, code, as_of)
    return render(request, "subject.html", ref=shown, **file_context(app, report))


@router.get("/subjects/{ref}/report", response_class=HTMLResponse)
def printable(request: Request, ref: str, app: StateDep, as_of: AsOf = None) -> Response:
    code = resolve(app, ref)
    shown = link_ref(app, ref, code)
    if moved := _redirect(request, ref, shown, "/report"):
        return moved
    report = public_report(app, code, as_of)
    context = {**file_context(app, report), **issued(request, app, report)}
    return render(request, "report.html", ref=shown, **context)


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
