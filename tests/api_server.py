"""A real API server on loopback for the tests: uvicorn in a thread, a free port, real keys.

Fixture strategy: each test module gets one server over a fresh store (SQLite file, or a
PostgreSQL schema when the ``store`` fixture is parametrised so), with one key per role.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import uvicorn
from sqlalchemy import Engine

from socialcredit.app import create_app
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from tests.conftest import RIC

AGENCY_SCOPES = {
    "categories": ["court.enforcement_case", "court.consumption_restriction_order"],
    "disclosures": ["public", "shared"],
    "actions": ["*"],
}


@dataclass
class LiveApi:
    url: str
    engine: Engine
    keys: dict[str, str]

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def role_keys(engine: Engine) -> dict[str, str]:
    return {
        "agency": create_key(
            engine, "agency", "court of test", agency="court", scopes=AGENCY_SCOPES
        ),
        "public": create_key(engine, "public", "public portal"),
        "subject": create_key(engine, "subject", "Zhang San", subject=RIC),
        "auditor": create_key(engine, "auditor", "auditor"),
        "admin": create_key(engine, "admin", "administrator"),
    }


def serve(engine: Engine, book: Rulebook, max_body_bytes: int = 200_000) -> Iterator[LiveApi]:
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(url, book, max_body_bytes=max_body_bytes)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveApi(f"http://127.0.0.1:{port}", engine, role_keys(engine))
    server.should_exit = True
    thread.join(timeout=10)
