"""The web portal: server-rendered pages on the API's application (``install``)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcredit.services.public.throttle import TokenBuckets
from socialcredit.settings import search_rate
from socialcredit.web import errors
from socialcredit.web.templating import STATIC

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every answer outside the API's paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope["path"]).startswith(errors.API_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """Add the portal's pages, its static files and its error pages to ``app``."""
    from socialcredit.web import (
        account,
        agency,
        agency_objections,
        agency_screening,
        dashboard,
        public,
        rules,
        screening_results,
        verify,
    )

    errors.install(app)
    app.state.search_buckets = TokenBuckets(*search_rate())
    app.state.screening_results = screening_results.ResultShelf()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        public,
        rules,
        dashboard,
        account,
        agency,
        agency_objections,
        agency_screening,
        screening_results,
        verify,
    ):
        app.include_router(module.router)
    app.add_middleware(SecurityHeaders)
