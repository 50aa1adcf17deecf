"""``/v1/exports``: snapshot files (CSV, JSON Lines, Parquet) of a list's entries on a date
(as the caller may see them) and of the records an agency or auditor may read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from socialcredit.api.deps import PrincipalDep, StateDep, require
from socialcredit.api.errors import AUTHENTICATED, ApiError, responses
from socialcredit.api.routes.lists import AsOf, BasisParam, ListId, Purpose, unknown_list
from socialcredit.core.access import Principal
from socialcredit.services.exports.tables import (
    RECORD_COLUMNS,
    Export,
    ExportUnavailable,
    Format,
    export,
    log_records_read,
    readable_records,
)
from socialcredit.services.lists.definitions import UnknownList
from socialcredit.services.lists.query import (
    EntryQuery,
    columns_for,
    find_entries,
    log_read,
    present,
)

router = APIRouter(
    prefix="/v1/exports", tags=["exports"], responses={**AUTHENTICATED, **responses(501)}
)
FormatParam = Annotated[Format, Query(description="csv, jsonl or parquet")]
FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the file, as an attachment",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/lists/{list_id}",
    summary="The entries of a list active on a date, as a file",
    response_class=Response,
    responses=FILES,
)
def list_snapshot(
    list_id: ListId,
    app: StateDep,
    caller: PrincipalDep,
    format: FormatParam = "csv",
    as_of: AsOf = None,
    basis: BasisParam = "run",
    purpose: Purpose = None,
) -> Response:
    with app.engine.connect() as db:
        try:
            found = find_entries(db, app.book, caller, EntryQuery(list_id, as_of, True, basis))
        except UnknownList:
            raise unknown_list(list_id) from None
    rows = [present(row, caller) for row in found.rows]
    file = _write(rows, columns_for(caller), format, f"{list_id}-{found.as_of}")
    with app.engine.begin() as db:
        log_read(db, caller, "exports.list", found, purpose)
    headers = {"X-Label-Run": str(found.run["id"]) if found.run else "none"}
    return _download(file, {**headers, "X-As-Of": found.as_of.isoformat()})


@router.get(
    "/records",
    summary="The records the caller may read (agencies, auditors), as a file",
    response_class=Response,
    responses=FILES,
)
def records(
    app: StateDep,
    caller: Annotated[Principal, Depends(require("agency", "auditor", "admin"))],
    format: FormatParam = "csv",
    category: Annotated[str | None, Query(max_length=128)] = None,
    as_of: Annotated[dt.date | None, Query(description="records decided by; default today")] = None,
    purpose: Purpose = None,
) -> Response:
    if category is not None and category not in app.book.categories:
        raise ApiError(422, "unknown_category", f"no loaded pack defines category {category!r}")
    day = as_of or dt.date.today()
    with app.engine.connect() as db:
        rows = readable_records(db, app.book, caller, category, day)
    file = _write(rows, RECORD_COLUMNS, format, f"records-{category or 'all'}-{day}")
    with app.engine.begin() as db:
        log_records_read(db, caller, rows, purpose, f"{category or 'all categories'}, {format}")
    return _download(file, {"X-As-Of": day.isoformat()})


def _write(
    rows: list[dict[str, object]], columns: tuple[str, ...], fmt: Format, name: str
) -> Export:
    try:
        return export(rows, columns, fmt, name)
    except ExportUnavailable as error:
        raise ApiError(501, "not_implemented", str(error)) from None


def _download(file: Export, headers: dict[str, str]) -> Response:
    disposition = f'attachment; filename="{file.filename}"'
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": disposition, **headers},
    )
