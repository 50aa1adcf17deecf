"""A printed credit report that can be checked: the printable page issues the report (a
number, the digest of its content, kept by the store) with a QR code of its verification
address, and ``/verify/<number>`` shows what was kept, for a bank clerk holding the paper."""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from socialcredit.services.access.principals import PORTAL_PUBLIC
from socialcredit.services.context import Context
from socialcredit.services.files.issued import issue_report, verify_report
from socialcredit.web.deps import StateDep
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
Number = Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9-]+$")]


def verify_url(request: Request, number: str) -> str:
    """The portal's own address of the verify page of ``number``."""
    return str(request.url_for("verify", number=number))


def qr_png(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI (segno; error correction M, quiet zone 4)."""
    return str(segno.make(text, error="m", micro=False).png_data_uri(scale=4, border=4))


def issued(request: Request, app: Context, report: dict[str, Any]) -> dict[str, Any]:
    """Issue ``report`` as shown to the public; its number, digest, address and QR code."""
    numbered = issue_report(app, PORTAL_PUBLIC, report)
    url = verify_url(request, numbered["issued"]["number"])
    return {"report": numbered, "verify_url": url, "qr": qr_png(url)}


@router.get("/verify/{number}", response_class=HTMLResponse, name="verify")
def verify(request: Request, number: Number, app: StateDep) -> HTMLResponse:
    found = verify_report(app, number)
    return render(
        request, "verify.html", status_code=200 if found else 404, number=number, found=found
    )
