"""``POST /v1/records``: a batch of records as JSON Lines or CSV; a per-row report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError, responses
from socialcredit.services.errors import forbidden
from socialcredit.services.models.records import IngestAnswer
from socialcredit.services.records.submit import body_format, submit_records

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
            },
            "required": True,
        }
    },
)
async def submit(request: Request, app: StateDep, caller: PrincipalDep) -> IngestAnswer:
    """The body is read (up to the size limit) and handed to the service; the ingest runs
    in a worker thread, off the event loop."""
    if caller.role != "agency":
        raise forbidden("only an agency key may submit records")
    kind = request.headers.get("content-type", "")
    body_format(kind)  # refuse an unknown type before reading the body
    data = await _read_limited(request, app.max_body_bytes)
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
