"""The use cases "read a list's entries" and "export a list": what the caller may see, with
one audit entry per subject shown, in the transaction that read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialcredit.core.access import Principal
from socialcredit.services.context import Context
from socialcredit.services.errors import not_found
from socialcredit.services.lists.definitions import UnknownList
from socialcredit.services.lists.query import EntryQuery, EntrySet, find_entries, log_read, present


@dataclass(frozen=True)
class EntryPage:
    """One page of entries as the caller may see them (``rows`` presented: masked, and cut
    to the caller's columns) and where they come from (``found``)."""

    found: EntrySet
    rows: list[dict[str, Any]]


def read_entries(
    ctx: Context,
    caller: Principal,
    query: EntryQuery,
    page: tuple[int, int | None] = (0, None),
    purpose: str | None = None,
    action: str = "lists.entries",
) -> EntryPage:
    """Entries of ``query.list_id`` from ``page`` (offset, limit: all when None); refused
    (404) for a list no loaded pack defines. ``action`` names the read in the audit log."""
    offset, limit = page
    with ctx.engine.begin() as db:
        try:
            found = find_entries(db, ctx.book, caller, query, offset, limit)
        except UnknownList:
            raise not_found(f"no loaded pack defines a list {query.list_id!r}") from None
        log_read(db, caller, action, found, purpose)
    return EntryPage(found, [present(row, caller) for row in found.rows])
