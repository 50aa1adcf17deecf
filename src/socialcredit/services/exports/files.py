"""The use cases "export a list" and "export records": a snapshot file of what the caller may
read, logged (one entry per subject) in the transaction that read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socialcredit.core.access import Principal
from socialcredit.services.context import Context
from socialcredit.services.errors import Refused, forbidden
from socialcredit.services.exports.tables import (
    RECORD_COLUMNS,
    Export,
    ExportUnavailable,
    Format,
    export,
    log_records_read,
    readable_records,
)
from socialcredit.services.lists.query import EntryQuery, columns_for
from socialcredit.services.lists.read import read_entries


@dataclass(frozen=True)
class Snapshot:
    """An export file and what it is of: the label run (None: none, or live) and the date."""

    file: Export
    run: int | None
    as_of: dt.date


def export_list(
    ctx: Context, caller: Principal, query: EntryQuery, fmt: Format, purpose: str | None = None
) -> Snapshot:
    """The entries of a list active on ``query.as_of`` as a file in ``fmt``."""
    _check_format(fmt)
    page = read_entries(ctx, caller, query, purpose=purpose, action="exports.list")
    found = page.found
    file = _write(page.rows, columns_for(caller), fmt, f"{query.list_id}-{found.as_of}")
    return Snapshot(file, found.run["id"] if found.run else None, found.as_of)


def export_records(
    ctx: Context,
    caller: Principal,
    fmt: Format,
    category: str | None = None,
    as_of: dt.date | None = None,
    purpose: str | None = None,
) -> Snapshot:
    """The records decided by ``as_of`` (default today) that an agency or auditor may read."""
    if caller.role not in ("agency", "auditor", "admin"):
        raise forbidden(f"a {caller.role} key may not do this")
    if category is not None and category not in ctx.book.categories:
        raise Refused(422, "unknown_category", f"no loaded pack defines category {category!r}")
    _check_format(fmt)
    day = as_of or dt.date.today()
    with ctx.engine.begin() as db:
        rows = readable_records(db, ctx.book, caller, category, day)
        log_records_read(db, caller, rows, purpose, f"{category or 'all categories'}, {fmt}")
    return Snapshot(
        _write(rows, RECORD_COLUMNS, fmt, f"records-{category or 'all'}-{day}"), None, day
    )


def _check_format(fmt: Format) -> None:
    """Refuse a format the server cannot write before anything is read or logged."""
    try:
        export([], (), fmt, "probe")
    except ExportUnavailable as error:
        raise Refused(501, "not_implemented", str(error)) from None


def _write(
    rows: list[dict[str, object]], columns: tuple[str, ...], fmt: Format, name: str
) -> Export:
    try:
        return export(rows, columns, fmt, name)
    except ExportUnavailable as error:
        raise Refused(501, "not_implemented", str(error)) from None
