"""Several API workers on PostgreSQL: concurrent submissions of overlapping batches lose
nothing and duplicate nothing.

``socialcredit serve --workers 2`` runs as a real subprocess over a fresh PostgreSQL schema;
real clients in threads post CSV batches at the same moment (each overlapping half of
another's rows, and one batch twice at once), retrying only what the server calls retryable
(409 or 503 in the error format). Then every source document is stored once, every status
row once, every response was a clear one, and the audit chain holds. PostgreSQL only: SQLite
serialises writers and is not run with several workers.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError

from socialcredit.services.access.keys import create_key
from socialcredit.store import tables as t
from socialcredit.store.audit_log import verify_chain
from socialcredit.store.database import connect, migrate
from socialcredit.synth.people import make_ric
from tests.api_server import AGENCY_SCOPES, free_port
from tests.conftest import POSTGRES
from tests.test_ingest import HEADER, case

pytestmark = pytest.mark.skipif(
    not POSTGRES,
    reason="SOCIALCREDIT_TEST_POSTGRES is not set (.ci/run sets it): several workers need "
    "PostgreSQL",
)

CLIENTS, ROWS, ROUNDS = 6, 40, 5
RETRYABLE = {409, 503}
STAGGER = 0.02  # seconds between two clients' requests


@dataclass
class Server:
    url: str
    engine: Engine
    keys: dict[str, str]
    log: Path


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, migrated to head; its URL."""
    assert POSTGRES
    admin = create_engine(POSTGRES)
    schema = f"c_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as db:
            db.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at {POSTGRES} does not answer: {error.orig}")
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    migrate(rendered)
    yield rendered
    with admin.begin() as db:
        db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="module")
def server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``socialcredit serve --workers 2`` on a free port, until the module is done."""
    engine = connect(database)
    keys = {
        "agency": create_key(engine, "agency", "court", agency="court", scopes=AGENCY_SCOPES),
        "auditor": create_key(engine, "auditor", "auditor"),
    }
    port, log = free_port(), tmp_path_factory.mktemp("serve") / "server.log"
    command = [str(Path(sys.executable).parent / "socialcredit"), "serve", "--workers", "2"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--db", database],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log)
        yield Server(f"http://127.0.0.1:{port}", engine, keys, log)
    finally:
        _stop(process)
        engine.dispose()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded two-core machine runs several suites
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"socialcredit serve exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"socialcredit serve did not answer within 120 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- the workload ---------------------------------------------------------------------------


def doc_no(round_: int, n: int) -> str:
    return f"(2018)京01执{round_}-{n}号"


def subject_of(round_: int, n: int) -> str:
    return make_ric("110105", dt.date(1970 + round_, 3, 1), n // 2)  # two documents each


def doc_row(round_: int, n: int) -> str:
    """Source document n of a round; every other one performed, so it writes a status row."""
    status, day = ("performed", "2018-03-01") if n % 2 else ("", "")
    return case(
        subject=subject_of(round_, n), doc=doc_no(round_, n), status=status, status_date=day
    )


@dataclass
class Outcome:
    round_: int
    docs: range  # the document numbers of the batch
    statuses: list[int] = field(default_factory=list)  # every answer, retries included
    bodies: list[Any] = field(default_factory=list)
    report: dict[str, Any] | None = None  # the final 200

    @property
    def body(self) -> bytes:
        rows = [doc_row(self.round_, n) for n in self.docs]
        return ("\n".join([HEADER, *rows]) + "\n").encode()


def submit(server: Server, start: threading.Barrier, delay: float, outcome: Outcome) -> None:
    """Post one batch ``delay`` seconds after every client is ready; retry only what the
    server calls retryable."""
    headers = {"Authorization": f"Bearer {server.keys['agency']}", "Content-Type": "text/csv"}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        start.wait()
        time.sleep(delay)
        for attempt in range(8):
            response = client.post("/v1/records", content=outcome.body, headers=headers)
            outcome.statuses.append(response.status_code)
            outcome.bodies.append(_json(response))
            if response.status_code == 200:
                outcome.report = response.json()
                return
            if response.status_code not in RETRYABLE:
                return
            time.sleep(0.05 * (attempt + 1))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def run_round(server: Server, round_: int) -> list[Outcome]:
    """Batch 0, batch 0 once more, then batches 1 to CLIENTS-1 (batch c holds documents
    [c*ROWS/2, c*ROWS/2 + ROWS)), each STAGGER seconds after the one before: a worker busy
    with a batch accepts no connection, so the next goes to the other worker while the first
    transaction is still open."""
    clients = [0, *range(CLIENTS)]
    outcomes = [Outcome(round_, range(c * ROWS // 2, c * ROWS // 2 + ROWS)) for c in clients]
    start = threading.Barrier(len(outcomes))
    threads = [
        threading.Thread(target=submit, args=(server, start, n * STAGGER, outcome))
        for n, outcome in enumerate(outcomes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return outcomes


@pytest.fixture(scope="module")
def outcomes(server: Server) -> list[Outcome]:
    return [outcome for r in range(ROUNDS) for outcome in run_round(server, r)]


def log_summary(log: Path) -> str:
    """The server's distinct exceptions with their counts, then its last traceback."""
    lines = log.read_text(errors="replace").splitlines()
    errors = Counter(line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line))
    summary = "\n".join(f"{n} x {line[:300]}" for line, n in errors.most_common())
    tail = "\n".join(lines)[-4000:]
    return f"server exceptions:\n{summary}\nlast lines of the server log:\n{tail}"


def rows(engine: Engine, query: Any) -> list[Any]:
    with engine.connect() as db:
        return list(db.execute(query))


# --- the assertions ---------------------------------------------------------------------------


def test_every_answer_is_a_success_or_a_clear_retryable_error(
    server: Server, outcomes: list[Outcome]
) -> None:
    unclear = [
        (status, body)
        for outcome in outcomes
        for status, body in zip(outcome.statuses, outcome.bodies, strict=True)
        if status != 200
        and not (
            status in RETRYABLE
            and isinstance(body, dict)
            and {"code", "message"} <= set(body.get("error", {}))
        )
    ]
    assert not unclear, f"{len(unclear)} unclear answers, {unclear[:2]}\n{log_summary(server.log)}"
    assert all(o.report is not None for o in outcomes), "a batch gave up"


def test_what_was_accepted_is_stored_once_and_nothing_else(
    server: Server, outcomes: list[Outcome]
) -> None:
    """Every document of every batch answered 200 is stored exactly once, with its subject
    and its status row; nothing of a batch that failed is half-written."""
    done = [o for o in outcomes if o.report]
    docs = {(o.round_, n) for o in done for n in o.docs}
    stored = Counter(r.doc_no for r in rows(server.engine, select(t.records.c.doc_no)))
    assert stored == Counter(doc_no(*d) for d in docs)
    subjects = {r.id for r in rows(server.engine, select(t.subjects.c.id))}
    assert subjects == {subject_of(*d) for d in docs}
    status = rows(server.engine, select(t.record_status.c.record_id, t.record_status.c.status))
    assert len(status) == len(set(status)) == sum(1 for _, n in docs if n % 2)
    kinds = Counter(r.kind for r in rows(server.engine, select(t.events.c.kind)))
    assert (kinds["record.accepted"], kinds["record.status"]) == (len(docs), len(status))
    reports = [o.report for o in done if o.report]
    assert sum(r["accepted"] for r in reports) == len(docs)  # each document accepted once
    assert sum(r["rejected"] for r in reports) == 0


def test_a_batch_sent_twice_at_once_is_loaded_once(server: Server, outcomes: list[Outcome]) -> None:
    reports = [o.report for o in outcomes if o.report]
    first_loads = Counter(r["batch"] for r in reports if not r["already_loaded"])
    assert set(first_loads.values()) == {1}
    stored = {r.id for r in rows(server.engine, select(t.batches.c.id))}
    assert stored == {r["batch"] for r in reports}


def test_the_audit_chain_verifies(server: Server, outcomes: list[Outcome]) -> None:
    headers = {"Authorization": f"Bearer {server.keys['auditor']}"}
    verified = httpx.get(f"{server.url}/v1/audit/verify", headers=headers, timeout=60).json()
    assert verified["intact"], verified["problems"][:5]
    with server.engine.connect() as db:
        assert verify_chain(db) == []
    submits = rows(
        server.engine, select(t.audit_log.c.seq).where(t.audit_log.c.action == "records.submit")
    )
    assert len(submits) == sum(1 for o in outcomes if o.report)
