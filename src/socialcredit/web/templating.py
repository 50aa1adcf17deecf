"""Jinja2 templates of the portal, rendered with what every page needs: who is signed in,
the form token against cross-site requests, and the navigation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from socialcredit import __version__
from socialcredit.web.session import csrf_token, signed_in

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _words(value: object) -> str:
    """An identifier in words: ``buy_flight_ticket`` -> ``buy flight ticket``."""
    return str(value).replace("_", " ").replace("-", " ") if value is not None else ""


ENVIRONMENT.filters["words"] = _words


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` with ``context``; never cached by shared caches."""
    caller = signed_in(request)
    html = ENVIRONMENT.get_template(template).render(
        request=request,
        caller=caller,
        csrf=csrf_token(request) if caller else "",
        today=dt.date.today().isoformat(),
        version=__version__,
        **context,
    )
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(html, status_code, headers=headers)
