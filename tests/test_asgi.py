"""The worker application (``socialcredit.asgi``, used by ``serve --workers N``) answers the
lifespan protocol at once and serves once its background start-up is done (issue 13, item 13)."""

from __future__ import annotations

import asyncio
import importlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from socialcredit.services.setup import open_store


def run_apart(coroutine: Any) -> Any:
    """Run ``coroutine`` in a thread of its own (another test may hold a running loop)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_the_worker_app_acknowledges_lifespan_and_then_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    open_store(url, create=True)
    monkeypatch.setenv("SOCIALCREDIT_DB", url)
    sys.modules.pop("socialcredit.asgi", None)
    worker = importlib.import_module("socialcredit.asgi")

    async def lifespan() -> list[str]:
        incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
        sent: list[str] = []

        async def receive() -> dict[str, Any]:
            return next(incoming)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message["type"])

        await worker.app({"type": "lifespan"}, receive, send)
        return sent

    assert run_apart(lifespan()) == ["lifespan.startup.complete", "lifespan.shutdown.complete"]

    async def health() -> httpx.Response:
        transport = httpx.ASGITransport(app=worker.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
            return await client.get("/v1/health")

    assert run_apart(health()).json()["status"] == "ok"
    sys.modules.pop("socialcredit.asgi", None)


def test_a_worker_whose_store_is_missing_answers_503_in_the_error_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCREDIT_DB", f"sqlite:///{tmp_path / 'never-created.db'}")
    sys.modules.pop("socialcredit.asgi", None)
    worker = importlib.import_module("socialcredit.asgi")

    async def health() -> httpx.Response:
        transport = httpx.ASGITransport(app=worker.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
            return await client.get("/v1/health")

    answered = run_apart(health())
    assert answered.status_code == 503
    assert "there is no socialcredit database" in answered.json()["error"]["message"]
    assert not (tmp_path / "never-created.db").exists()
    sys.modules.pop("socialcredit.asgi", None)
