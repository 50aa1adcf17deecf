"""Signing in to the portal with an API key.

The key travels in an HttpOnly, SameSite=Strict cookie and is checked on every request
(``services.keys.authenticate``: a revoked key stops working at once). Forms that write carry a
token derived from the key (an HMAC under the key itself), so another site can neither send
the cookie (SameSite=Strict) nor know the token; the sign-in form itself carries a random
token that must match a cookie set with the form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from socialcredit.api.deps import state
from socialcredit.core.access import Principal
from socialcredit.services.keys import authenticate

KEY_COOKIE = "sc_key"
FORM_COOKIE = "sc_form"
MAX_KEY = 200


def _key(request: Request) -> str | None:
    key = request.cookies.get(KEY_COOKIE, "").strip()
    return key if key and len(key) <= MAX_KEY else None


def signed_in(request: Request) -> Principal | None:
    """The principal of the key in the sign-in cookie, if it is valid (once per request)."""
    if "portal_caller" not in request.scope:
        key = _key(request)
        found = authenticate(state(request).engine, key) if key else None
        request.scope["portal_caller"] = found
    caller: Principal | None = request.scope["portal_caller"]
    return caller


def csrf_token(request: Request) -> str:
    """The form token of the signed-in key (empty when nobody is signed in)."""
    key = _key(request)
    if key is None:
        return ""
    return hmac.new(key.encode(), b"socialcredit portal form", hashlib.sha256).hexdigest()


def valid_csrf(request: Request, token: str) -> bool:
    expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(expected, token)


def sign_in(response: Response, request: Request, key: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(KEY_COOKIE, key, httponly=True, samesite="strict", secure=secure, path="/")
    response.delete_cookie(FORM_COOKIE, path="/")


def sign_out(response: Response) -> None:
    response.delete_cookie(KEY_COOKIE, path="/", httponly=True, samesite="strict")


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
