"""The refusals a use case answers with; every interface translates them alike (the API to
its JSON error, the portal to a page, the command line to a message and exit 1)."""

from __future__ import annotations

from socialcredit.core.errors import SocialCreditError


class Refused(SocialCreditError):
    """A request the service turns down: ``status`` (as HTTP counts it) and ``code``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def forbidden(message: str) -> Refused:
    return Refused(403, "forbidden", message)


def not_found(message: str) -> Refused:
    return Refused(404, "not_found", message)
