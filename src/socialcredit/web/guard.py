"""Who may use a signed-in page, the form token of writing forms, and API refusals shown as
pages (the portal calls the API's own route functions, so access rules live in one place)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from fastapi import Request
from pydantic import ValidationError

from socialcredit.api.errors import ApiError
from socialcredit.core.access import Principal, Role
from socialcredit.web.errors import PortalError
from socialcredit.web.session import SESSION_COOKIE, signed_in, valid_csrf

T = TypeVar("T")


class SignInNeeded(Exception):
    """No key: go to the sign-in page, then back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"/signin?next={quote(self.next_path, safe='/')}"


def require_role(request: Request, role: Role) -> Principal:
    """The signed-in principal, which must have ``role``."""
    caller = signed_in(request)
    if caller is None:
        if request.cookies.get(SESSION_COOKIE):
            message = "Your session has ended or your key has been revoked: sign in again."
            raise PortalError(401, message)
        raise SignInNeeded(request.url.path)
    if caller.role != role:
        area = {"subject": "a subject's own area", "agency": "the agency console"}[str(role)]
        raise PortalError(403, f"This is {area}: a {caller.role} key may not use it.")
    return caller


def check_csrf(request: Request, token: str) -> None:
    if not valid_csrf(request, token):
        raise PortalError(
            403, "The form has expired or did not come from this portal. Reload and try again."
        )


def via_api(call: Callable[[], T]) -> T:
    """Run an API route function; its refusals and validation errors become pages."""
    try:
        return call()
    except ApiError as error:
        raise PortalError(error.status, error.message) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in error.errors()
        )
        raise PortalError(422, f"Please check the form: {problems}.") from None
