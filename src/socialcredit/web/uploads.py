"""Reading an upload only once its sender is known: the session is checked from the cookie
before any of the body is read, and the body is read up to a cap (as the API reads a batch)
before its form is parsed, so that an anonymous or oversized post costs nothing to refuse."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message

from socialcredit.core.access import Principal
from socialcredit.web.guard import check_csrf, require_role
from socialcredit.web.refusals import PortalError

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, headers and the form's small fields


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is over ``limit`` bytes (declared or sent)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            return None
    return bytes(data)


async def parse_form(request: Request, body: bytes) -> FormData:
    """The multipart form of ``body`` (already read), at most one file and a few fields."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, replay).form(max_files=1, max_fields=10)


def uploaded_file(form: FormData, name: str) -> UploadFile | None:
    found = form.get(name)
    return found if isinstance(found, UploadFile) else None


async def agency_form(request: Request, max_body_bytes: int) -> tuple[Principal, FormData]:
    """An agency's upload form: the session checked before the body is read (off the event
    loop), the body read up to the cap, then the form parsed and its CSRF token checked."""
    caller = await run_in_threadpool(require_role, request, "agency")
    body = await read_capped(request, max_body_bytes + FORM_OVERHEAD)
    if body is None:
        raise PortalError(413, f"The file is over {max_body_bytes} bytes.")
    form = await parse_form(request, body)
    check_csrf(request, str(form.get("csrf", ""))[:100])
    return caller, form
