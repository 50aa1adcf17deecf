"""Jinja2 templates of the portal, rendered in the request's language (``i18n``) with what
every page needs: who is signed in, the form token against cross-site requests, the
navigation and the language switch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import URL

from socialcredit import __version__
from socialcredit.web import i18n
from socialcredit.web.session import csrf_token, signed_in

TEMPLATES = i18n.TEMPLATES
STATIC = Path(__file__).parent / "static"


def switch_links(request: Request) -> dict[str, str]:
    """The address of this page in each language (``?lang=``, other parameters kept). A page
    that answers a form (a POST) cannot be asked for again: its switch goes to the page the
    form was on, or home."""
    url = request.url
    if request.method not in ("GET", "HEAD"):
        came_from = urlsplit(request.headers.get("referer", ""))
        local = came_from.netloc == url.netloc and came_from.path.startswith("/")
        url = URL(f"{came_from.path}?{came_from.query}" if local else "/")
    links = {}
    for locale in i18n.LOCALES:
        there = url.include_query_params(lang=i18n.HTML_LANG[locale])
        links[locale] = there.path + (f"?{there.query}" if there.query else "")
    return links


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` with ``context`` in the request's language; never cached by
    shared caches; a language chosen with ``?lang=`` is remembered in a cookie."""
    locale, asked = i18n.chosen(request)
    caller = signed_in(request)
    html = (
        i18n.environment(locale)
        .get_template(template)
        .render(
            request=request,
            caller=caller,
            csrf=csrf_token(request) if caller else "",
            today=dt.date.today().isoformat(),
            version=__version__,
            languages=switch_links(request),
            **context,
        )
    )
    headers = {
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Language": i18n.HTML_LANG[locale],
        "Vary": "Accept-Language, Cookie",
    }
    response = HTMLResponse(html, status_code, headers=headers)
    if asked:
        secure = request.url.scheme == "https"
        response.set_cookie(
            i18n.COOKIE, locale, max_age=i18n.ONE_YEAR, samesite="lax", secure=secure, path="/"
        )
    return response
