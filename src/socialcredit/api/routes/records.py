"""``POST /v1/records``: a batch of records as JSON Lines or CSV; a per-row report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError, responses
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.audit_log import append

router = APIRouter(
    prefix="/v1/records", tags=["records"], responses={**AUTHENTICATED, **responses(413, 415)}
)
SUFFIXES = {"application/x-ndjson": ".jsonl", "application/jsonl": ".jsonl", "text/csv": ".csv"}


@router.post(
    "",
    summary="Submit a batch (Content-Type application/x-ndjson or text/csv)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
            "required": True,
        }
    },
)
async def submit(request: Request, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    if caller.role != "agency" or caller.agency is None:
        raise ApiError(403, "forbidden", "only an agency key may submit records")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = SUFFIXES.get(media)
    if suffix is None:
        raise ApiError(415, "unsupported_media_type", "send application/x-ndjson or text/csv")
    data = await _read_limited(request, app.max_body_bytes)
    report = _ingest(app, data, suffix, caller.agency, caller.categories)
    with app.engine.begin() as db:
        append(
            db,
            {
                "actor": caller.actor,
                "action": "records.submit",
                "result": f"batch {report['batch'][:12]}: {report['accepted']} accepted, "
                f"{report['rejected']} rejected",
            },
        )
    return report


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    return bytes(data)


def _ingest(
    app: Any, data: bytes, suffix: str, agency: str, categories: frozenset[str]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"batch{suffix}"
        path.write_bytes(data)
        try:
            report = ingest_file(
                app.engine, app.book, path, agency, allowed=categories, encoding="utf-8"
            ).as_dict()
        except UnreadableFile as error:  # its message names the temporary file: say "the body"
            raise ApiError(422, "unreadable", str(error).replace(str(path), "the body")) from None
    report["file"] = None
    return report
