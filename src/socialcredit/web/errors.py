"""Errors on portal pages as an HTML page that says what went wrong and what to do, never a
stack trace; errors under the API's paths keep the API's JSON format."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from socialcredit.core.errors import SocialCreditError
from socialcredit.web.refusals import TITLES, PortalError, SignInNeeded
from socialcredit.web.templating import render

API_PREFIXES = ("/v1", "/openapi.json", "/docs", "/redoc")
__all__ = ["API_PREFIXES", "PortalError", "error_page", "install", "is_api"]
LOG = logging.getLogger("socialcredit.web")
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


def error_page(request: Request, status: int, message: str, title: str | None = None) -> Response:
    heading = title or TITLES.get(status, "Error")
    try:
        return render(request, "error.html", status, title=heading, message=message, code=status)
    except Exception:  # the page itself failed (the store is down...): a bare page instead
        LOG.exception("the error page could not be rendered")
        return HTMLResponse(BARE.format(status=status, title=escape(heading)), status)


BARE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><h1>{title}</h1><p>Error {status}. Please try again later.</p>"
    '<p><a href="/">Home</a></p></body></html>'
)


def _pages_or_api(api: Handler, page: Handler) -> Handler:
    """A handler that answers the API's paths with the API's own handler, others with a page."""

    async def handle(request: Request, error: Exception) -> Response:
        chosen = api if is_api(request) else page
        answer = chosen(request, error)
        return await answer if inspect.isawaitable(answer) else answer

    return handle


def _portal(request: Request, error: Exception) -> Response:
    assert isinstance(error, PortalError)
    page = error_page(request, error.status, error.message, error.title)
    page.headers.update(error.headers)
    return page


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: "There is no page at this address. Try the search on the home page."}
    return error_page(request, error.status_code, messages.get(error.status_code, ""))


def _invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in error.errors()
    )
    return error_page(request, 422, f"The address or form is not valid ({problems}).")


def _domain(request: Request, error: Exception) -> Response:
    return error_page(request, 422, str(error))


def _crash(request: Request, error: Exception) -> Response:
    LOG.error("unexpected error on %s", request.url.path, exc_info=error)
    message = "The page could not be made. The error has been logged; please try again."
    return error_page(request, 500, message)


def _sign_in_first(_: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)
    return RedirectResponse(error.location, 303)


def install(app: FastAPI) -> None:
    """Portal errors as pages; the API's own handlers (installed before) for its paths."""
    handlers = app.exception_handlers
    app.add_exception_handler(SignInNeeded, _sign_in_first)
    app.add_exception_handler(PortalError, _portal)
    for kind, page in (
        (HTTPException, _http),
        (RequestValidationError, _invalid),
        (SocialCreditError, _domain),
    ):
        app.add_exception_handler(kind, _pages_or_api(handlers[kind], page))
    app.add_exception_handler(Exception, _pages_or_api(handlers.get(Exception, _crash), _crash))
