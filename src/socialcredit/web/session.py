"""Signing in to the portal with an API key.

Signing in opens a session (``services.access.sessions``): the HttpOnly, SameSite=Strict
cookie carries the session's random token, never the key, and every request checks it (an
expired session or a revoked key stops working at once). Forms that write carry a token
derived from the session (an HMAC under its token), so another site can neither send the
cookie (SameSite=Strict) nor know the form token; the sign-in form itself carries a random
token that must match a cookie set with the form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from socialcredit.core.access import Principal
from socialcredit.services.access.sessions import close_session, open_session, session_principal
from socialcredit.web.deps import state

SESSION_COOKIE = "sc_session"
FORM_COOKIE = "sc_form"
MAX_KEY = 200
MAX_TOKEN = 100


def _session(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE, "").strip()
    return token if token and len(token) <= MAX_TOKEN else None


def signed_in(request: Request) -> Principal | None:
    """The principal of the session in the sign-in cookie, if it is valid (once per request)."""
    if "portal_caller" not in request.scope:
        token = _session(request)
        found = session_principal(state(request).engine, token) if token else None
        request.scope["portal_caller"] = found
    caller: Principal | None = request.scope["portal_caller"]
    return caller


def csrf_token(request: Request) -> str:
    """The form token of the session (empty when nobody is signed in)."""
    token = _session(request)
    if token is None:
        return ""
    return hmac.new(token.encode(), b"socialcredit portal form", hashlib.sha256).hexdigest()


def valid_csrf(request: Request, token: str) -> bool:
    expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(expected, token)


def sign_in(response: Response, request: Request, caller: Principal) -> None:
    """Open a session for the caller's key and set its cookie."""
    token = open_session(state(request).engine, caller.key_id)
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
    )
    response.delete_cookie(FORM_COOKIE, path="/")


def sign_out(response: Response, request: Request) -> None:
    """End the session and drop its cookie."""
    token = _session(request)
    if token is not None:
        close_session(state(request).engine, token)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


def new_form_token() -> str:
    """A random token for the sign-in form (also set as a cookie: ``set_form_token``)."""
    return secrets.token_urlsafe(24)


def set_form_token(response: Response, request: Request, token: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        FORM_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
    )


def valid_form_token(request: Request, token: str) -> bool:
    expected = request.cookies.get(FORM_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, token)
