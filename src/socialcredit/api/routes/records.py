"""``POST /v1/records``: a batch of records as JSON Lines or CSV; a per-row report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError, responses
from socialcredit.services.errors import forbidden
from socialcredit.services.models.records import IngestAnswer
from socialcredit.services.records.submit import (
    body_format,
    mapped_suffix,
    submit_mapped,
    submit_records,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MappingName = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="A shipped ingest mapping (mappings/*.yaml, e.g. court-enforcement-zh):"
        " the body is the agency's own layout, CSV in any detected encoding or a workbook",
    ),
]

router = APIRouter(
    prefix="/v1/records", tags=["records"], responses={**AUTHENTICATED, **responses(413, 415)}
)


@router.post(
    "",
    summary="Submit a batch (Content-Type application/x-ndjson or text/csv)",
    response_model=IngestAnswer,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
            "required": True,
        }
    },
)
async def submit(
    request: Request, app: StateDep, caller: PrincipalDep, mapping: MappingName = None
) -> IngestAnswer:
    """The body is read (up to the size limit) and handed to the service; the ingest runs
    in a worker thread, off the event loop. With ``mapping`` the body is read through that
    shipped mapping, and the answer's ``reading`` says the encoding and what was normalised."""
    if caller.role != "agency":
        raise forbidden("only an agency key may submit records")
    kind = request.headers.get("content-type", "")
    if mapping:
        mapped_suffix(kind)  # refuse an unknown type before reading the body
    else:
        body_format(kind)
    data = await _read_limited(request, app.max_body_bytes)
    if mapping:
        report = await run_in_threadpool(submit_mapped, app, caller, data, kind, mapping)
    else:
        report = await run_in_threadpool(submit_records, app, caller, data, kind)
    return IngestAnswer.of(report, file=None)


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
