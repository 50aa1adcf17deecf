"""The application for several worker processes: settings from SOCIALCREDIT_* variables.

A worker must answer its supervisor's health checks at once, so the heavy start-up (loading
every pack, checking and migrating the store) runs in a background thread as soon as the
worker imports this module; the first requests wait for it off the event loop, and the
lifespan protocol is answered at once."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def _build() -> FastAPI:
    """The application; even its imports (FastAPI, the portal's charts) happen here, in the
    background thread, so that the worker's main thread is free from the first moment."""
    from socialcredit.app import create_app
    from socialcredit.services.packs.rulebook import load_book
    from socialcredit.settings import database_url, packs_root

    return create_app(database_url(), load_book(None, packs_root()))


_STARTING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="socialcredit-start")
_APP: Future[FastAPI] = _STARTING.submit(_build)


async def app(scope: Any, receive: Any, send: Any) -> None:
    """The application, once built; lifespan events are acknowledged without waiting."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            kind = message["type"].rsplit(".", 1)[-1]  # startup or shutdown
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    try:
        built = await asyncio.wrap_future(_APP)
    except Exception as error:  # the store or the packs failed: say so, in the API's format
        await _unavailable(send, str(error))
        return
    await built(scope, receive, send)


async def _unavailable(send: Any, message: str) -> None:
    body = json.dumps(
        {"error": {"code": "unavailable", "message": message, "details": []}}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
