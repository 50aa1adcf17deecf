"""Who may use a signed-in page, the form token of writing forms, and the services' refusals
shown as pages (the portal calls the same use cases as the API, so access rules live in one
place: the services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from pydantic import ValidationError

from socialcredit.core.access import Principal, Role
from socialcredit.services.errors import Refused
from socialcredit.web.refusals import PortalError, SignInNeeded
from socialcredit.web.session import SESSION_COOKIE, signed_in, valid_csrf

T = TypeVar("T")


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


def as_page(call: Callable[[], T]) -> T:
    """Run a use case; its refusals and the form's validation errors become pages."""
    try:
        return call()
    except Refused as error:
        raise PortalError(error.status, str(error)) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in error.errors()
        )
        raise PortalError(422, f"Please check the form: {problems}.") from None
