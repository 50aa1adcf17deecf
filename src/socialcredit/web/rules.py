"""Lists and rules: each list and memorandum as its pack defines it, the packs, their legal
sources, and the place of each pack's rule-of-law audit report."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from socialcredit.auditreport import render_report
from socialcredit.core.pack.model import Pack
from socialcredit.services.context import Context
from socialcredit.services.lists.definitions import (
    UnknownList,
    list_definition,
    list_definitions,
)
from socialcredit.services.lists.memoranda import memorandum_definitions
from socialcredit.web.deps import StateDep
from socialcredit.web.refusals import PortalError
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
_AUDIT_LOCK = threading.Lock()
_AUDITS: dict[tuple[str, str, dt.date], str] = {}


@router.get("/lists", response_class=HTMLResponse)
def lists(request: Request, app: StateDep) -> HTMLResponse:
    packs = sorted(app.book.packs.values(), key=lambda p: p.id)
    return render(
        request,
        "lists.html",
        lists=list_definitions(app.book),
        memoranda=memorandum_definitions(app.book),
        packs=packs,
    )


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def one_list(request: Request, list_id: str, app: StateDep) -> HTMLResponse:
    try:
        found = list_definition(app.book, list_id)
    except UnknownList:
        raise PortalError(404, f"No loaded rule pack defines a list {list_id!r}.") from None
    memoranda = memorandum_definitions(app.book, list_id)
    return render(request, "list.html", lst=found, memoranda=memoranda)


def pack_of(app: Context, pack_id: str) -> Pack:
    found = app.book.packs.get(pack_id)
    if found is None:
        raise PortalError(404, f"No rule pack {pack_id!r} is loaded.")
    return found


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
def pack(request: Request, pack_id: str, app: StateDep) -> HTMLResponse:
    found = pack_of(app, pack_id)
    lists_here = [d for d in list_definitions(app.book) if d["pack"] == pack_id]
    memoranda = [m for m in memorandum_definitions(app.book) if m["pack"] == pack_id]
    return render(request, "pack.html", pack=found, lists=lists_here, memoranda=memoranda)


@router.get("/packs/{pack_id}/sources/{source_id}", response_class=HTMLResponse)
def source(request: Request, pack_id: str, source_id: str, app: StateDep) -> HTMLResponse:
    """A legal source, looked up in the pack and in the packs it requires."""
    found = pack_of(app, pack_id)
    for candidate in (
        found,
        *(app.book.packs[r] for r in found.spec.requires if r in app.book.packs),
    ):
        spec = candidate.source(source_id)
        if spec is not None:
            return render(
                request,
                "source.html",
                pack=candidate,
                source_id=source_id,
                source=spec,
                cited_by=cited_by(app, candidate.id, source_id),
            )
    raise PortalError(404, f"Pack {pack_id!r} cites no source {source_id!r}.")


def cited_by(app: Context, pack_id: str, source_id: str) -> list[dict[str, Any]]:
    """The lists and measures whose legal basis is this source."""
    found: list[dict[str, Any]] = []
    for definition in list_definitions(app.book):
        for version in definition["versions"]:
            if version["legal_basis"]["source"] == source_id:
                what = f"list {definition['title']} (version of {version['in_force']})"
                found.append({"what": what, "href": f"/lists/{definition['id']}"})
    for memo in memorandum_definitions(app.book):
        for measure in memo["measures"]:
            if measure["legal_basis"]["source"] == source_id:
                what = f"measure {measure['id']} of {memo['title']}"
                found.append({"what": what, "href": f"/packs/{memo['pack']}#memo-{memo['id']}"})
    return found


@router.get("/packs/{pack_id}/audit", response_class=HTMLResponse)
def audit(pack_id: str, app: StateDep) -> HTMLResponse:
    """The pack's rule-of-law audit report as of today (the auditor's own HTML page)."""
    found = pack_of(app, pack_id)
    back = (
        f'<body>\n<nav aria-label="Portal"><a href="/packs/{found.id}">Back to the pack</a> · '
        '<a href="/lists">Lists and rules</a> · <a href="/">Search</a></nav>'
    )
    page = audit_page(found, dt.date.today()).replace("<body>", back, 1)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


def audit_page(found: Pack, day: dt.date) -> str:
    """The audit report's HTML, made once per pack and day (it is the same all day)."""
    key = (found.id, str(found.path), day)
    with _AUDIT_LOCK:
        if key not in _AUDITS:
            _AUDITS[key] = render_report([found.id], "html", day, root=found.path.parent)
        return _AUDITS[key]
