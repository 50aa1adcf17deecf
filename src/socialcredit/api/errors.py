"""Every error as ``{"error": {"code", "message", "details"}}``; 4xx for the caller's mistakes."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from socialcredit.core.errors import InvalidIdentifier, SocialCreditError, UnknownAction
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.errors import Refused
from socialcredit.services.models.errors import ErrorBody


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


MEANINGS = {
    401: "no API key, or one that is not valid or has been revoked",
    403: "the key's role or scope does not allow this",
    404: "nothing by that id that the caller may see",
    409: "the request conflicts with the current state (already decided, already applied)",
    413: "the body is larger than the server accepts",
    415: "the body's content type is not one this endpoint reads",
    422: "the request is not valid: `details` says where and what",
    501: "the server lacks an optional component for this format",
    503: "the store is busy (another write holds it): try again after Retry-After seconds",
}
LOG = logging.getLogger("socialcredit.api")
RETRY_AFTER = "5"


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of error answers, all in the error format."""
    return {status: {"model": ErrorBody, "description": MEANINGS[status]} for status in statuses}


AUTHENTICATED = responses(401, 403, 422)


def domain_code(error: SocialCreditError) -> str:
    """The error code of a domain error."""
    if isinstance(error, Refused):
        return error.code
    if isinstance(error, UnreadableFile):
        return "unreadable"
    if isinstance(error, InvalidIdentifier):
        return "invalid_identifier"
    if isinstance(error, UnknownAction):
        return "unknown_action"
    return "invalid"


def body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def unexpected(request: Request, error: Exception) -> JSONResponse:
    """Any error no other handler answers, in the error format (never a plain-text 500),
    logged with its traceback; a store still locked after the busy timeout is a 503."""
    if isinstance(error, OperationalError) and "locked" in str(error.orig):
        LOG.warning("store busy on %s %s: %s", request.method, request.url.path, error.orig)
        message = "the store is busy with another write; try again shortly"
        return JSONResponse(body("busy", message), 503, headers={"Retry-After": RETRY_AFTER})
    LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    message = "the server failed to answer; the error has been logged"
    return JSONResponse(body("internal_error", message), 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Exception, unexpected)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(body(error.code, error.message, error.details), error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
            for e in error.errors()
        ]
        return JSONResponse(body("invalid_request", "the request is not valid", details), 422)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            body(code.get(error.status_code, "http_error"), str(error.detail)),
            error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(SocialCreditError)
    async def domain_error(_: Request, error: SocialCreditError) -> JSONResponse:
        if isinstance(error, Refused):
            return JSONResponse(body(error.code, str(error)), error.status)
        return JSONResponse(body(domain_code(error), str(error)), 422)
