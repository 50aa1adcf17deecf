"""Dependencies: the services' context (store and rulebook) and the caller's principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from socialcredit.api.errors import ApiError
from socialcredit.core.access import Principal, Role
from socialcredit.services.access.keys import authenticate
from socialcredit.services.context import Context


async def state(request: Request) -> Context:
    """The context the application factory set up (``socialcredit.app.create_app``). Async,
    for it does no I/O: FastAPI runs a sync dependency in its thread pool, one hop more per
    request."""
    found: Context = request.app.state.socialcredit
    return found


BEARER = HTTPBearer(auto_error=False, description="an API key: `socialcredit keys create`")


def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None,
) -> Principal:
    """The caller, from ``Authorization: Bearer <key>``; 401 when missing or not valid."""
    if credentials is None or not credentials.credentials.strip():
        raise ApiError(401, "unauthorized", "send an API key as 'Authorization: Bearer <key>'")
    found = authenticate(request.app.state.socialcredit.engine, credentials.credentials.strip())
    if found is None:
        raise ApiError(401, "unauthorized", "the API key is not valid or has been revoked")
    return found


def require(*roles: Role):  # type: ignore[no-untyped-def]
    """A dependency that admits only the given roles (403 for the others)."""

    def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        if caller.role not in roles:
            raise ApiError(403, "forbidden", f"a {caller.role} key may not do this")
        return caller

    return check


StateDep = Annotated[Context, Depends(state)]
PrincipalDep = Annotated[Principal, Depends(principal)]
