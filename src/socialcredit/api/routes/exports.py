"""``/v1/exports``: snapshot files (CSV, JSON Lines, Parquet) of a list's entries on a date
(as the caller may see them) and of the records an agency or auditor may read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, responses
from socialcredit.api.routes.lists import AsOf, BasisParam, ListId, Purpose
from socialcredit.services.exports.files import Snapshot, export_list, export_records
from socialcredit.services.exports.tables import Format
from socialcredit.services.lists.query import EntryQuery

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
    found = export_list(app, caller, EntryQuery(list_id, as_of, True, basis), format, purpose)
    headers = {"X-Label-Run": str(found.run) if found.run is not None else "none"}
    return _download(found, headers)


@router.get(
    "/records",
    summary="The records the caller may read (agencies, auditors), as a file",
    response_class=Response,
    responses=FILES,
)
def records(
    app: StateDep,
    caller: PrincipalDep,
    format: FormatParam = "csv",
    category: Annotated[str | None, Query(max_length=128)] = None,
    as_of: Annotated[dt.date | None, Query(description="records decided by; default today")] = None,
    purpose: Purpose = None,
) -> Response:
    return _download(export_records(app, caller, format, category, as_of, purpose), {})


def _download(found: Snapshot, headers: dict[str, str]) -> Response:
    disposition = f'attachment; filename="{found.file.filename}"'
    return Response(
        found.file.content,
        media_type=found.file.media_type,
        headers={
            "Content-Disposition": disposition,
            **headers,
            "X-As-Of": found.as_of.isoformat(),
        },
    )
