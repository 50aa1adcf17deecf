"""Opening the store for the interfaces: the database migrated to the newest schema, and the
context the use cases run in."""

from __future__ import annotations

from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import MAX_BODY_BYTES, Context
from socialcredit.store.database import connect, migrate


def open_store(url: str) -> Engine:
    """The store at ``url``, created or migrated to the newest schema first."""
    migrate(url)
    return connect(url)


def open_context(url: str, book: Rulebook, max_body_bytes: int = MAX_BODY_BYTES) -> Context:
    """The context of the use cases over the store at ``url`` (migrated) and ``book``."""
    return Context(open_store(url), book, max_body_bytes)
