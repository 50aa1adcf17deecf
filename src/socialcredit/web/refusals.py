"""What a portal page raises instead of answering: an error to show as a page, or a redirect
to the sign-in page. ``errors`` turns them into answers; ``guard`` raises them."""

from __future__ import annotations

from urllib.parse import quote

TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    413: "Upload too large",
    415: "Unsupported file",
    422: "Please check what you entered",
    429: "Too many searches",
    500: "Something went wrong on our side",
}


class PortalError(Exception):
    """An error to show as a page: ``status``, and a message in plain words."""

    def __init__(
        self,
        status: int,
        message: str,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.title = title or TITLES.get(status, "Error")
        self.headers = headers or {}


class SignInNeeded(Exception):
    """No key: go to the sign-in page, then back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"/signin?next={quote(self.next_path, safe='/')}"
