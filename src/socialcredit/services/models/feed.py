"""The feed: change events after a cursor."""

from __future__ import annotations

from typing import Any

from socialcredit.services.models.base import Answer


class FeedEvent(Answer):
    """One change: its kind, the subject (masked for the public), and what changed."""

    id: int
    at: str
    kind: str
    subject: str | None
    category: str | None
    payload: dict[str, Any]


class FeedPage(Answer):
    """Events oldest first; ``next`` is the cursor to send next."""

    events: list[FeedEvent]
    next: int
