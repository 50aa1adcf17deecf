"""The one error format of the API: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from socialcredit.services.models.base import Answer


class ErrorDetail(Answer):
    code: str
    message: str
    details: list[Any]


class ErrorBody(Answer):
    """The one error format of the API."""

    error: ErrorDetail

    @classmethod
    def of(cls, code: str, message: str, details: list[Any] | None = None) -> ErrorBody:
        return cls(error=ErrorDetail(code=code, message=message, details=details or []))
