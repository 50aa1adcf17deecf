"""The web portal: server-rendered pages on the API's application (``install``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from socialcredit.web import errors
from socialcredit.web.templating import STATIC

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def install(app: FastAPI) -> None:
    """Add the portal's pages, its static files and its error pages to ``app``."""
    from socialcredit.web import account, agency, dashboard, public, rules

    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (public, rules, dashboard, account, agency):
        app.include_router(module.router)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if not errors.is_api(request):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response
