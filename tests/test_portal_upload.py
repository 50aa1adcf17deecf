"""The portal reads an upload only after it knows who sends it, and no more of it than the
cap (issue 13, item 6): driven at the ASGI level, so that every read of the body is counted."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from socialcredit.app import create_app
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.access.sessions import open_session
from socialcredit.services.setup import open_store

CHUNK = b"x" * 65536
BOUNDARY = "b0undary"


def run_apart(coroutine: Any) -> Any:
    """Run ``coroutine`` in a thread of its own (another test may hold a running loop)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def post(app: FastAPI, chunks: int, cookie: str = "") -> tuple[int, dict[str, str], int]:
    """POST /agency/upload with ``chunks`` chunks of a multipart body; the status, the
    headers and how many chunks the server read."""
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": CHUNK, "more_body": reads < chunks}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [
        (b"host", b"portal.test"),
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
        (b"transfer-encoding", b"chunked"),
    ]
    if cookie:
        headers.append((b"cookie", f"sc_session={cookie}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/agency/upload",
        "raw_path": b"/agency/upload",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("portal.test", 80),
    }
    run_apart(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    found = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], found, min(reads, chunks)


def test_an_anonymous_upload_is_refused_before_its_body_is_read(
    tmp_path: Path, book: Rulebook
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'p.db'}", book, create=True)
    status, headers, reads = post(app, chunks=3200)  # a 200 MB body
    assert status == 303 and headers["location"].startswith("/signin")
    assert reads == 0


def test_a_signed_in_upload_is_read_only_up_to_the_cap(tmp_path: Path, book: Rulebook) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app(url, book, max_body_bytes=200_000, create=True)
    engine = open_store(url)
    key = create_key(engine, "agency", "court", agency="court", scopes={"categories": ["*"]})
    token = open_session(engine, key.split("_")[1])
    status, _, reads = post(app, chunks=3200, cookie=token)
    assert status == 413
    assert reads <= (200_000 + 64 * 1024) // len(CHUNK) + 2  # stopped at the cap, not 200 MB
