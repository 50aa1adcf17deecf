"""Benchmark of the REST API over HTTP on loopback: single decisions (requests/s, p50 and p99),
batch decisions (decisions/s, p50 and p99 per batch of 100) and freshness (time from the
response to a submitted record to the first decision that reflects it). Prints the figures
and writes them as JSON to bench/results/api-<store>-<workers>.json.

    python bench/bench_api.py                                   # SQLite file, 1 worker
    python bench/bench_api.py --workers 2 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A synthetic nation is generated, ingested and labelled, an agency key is created, and
``socialcredit serve`` runs as a real subprocess. Decisions come from --concurrency client
threads (one httpx client each) over random listed and unlisted subjects, for --seconds per
phase after a warm-up; freshness is measured afterwards by one client on the idle server.
On PostgreSQL the store is a new schema, dropped at the end. The clients and the server
share the machine's cores, so the figures understate what the server alone could do.
Timings are wall-clock on whatever machine runs this; tests never assert them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, make_url, select, text
from stdnum.cn import ric

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.labelling.run import label
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from socialcredit.store.database import connect, migrate
from socialcredit.synth import generate_nation

AS_OF = dt.date(2025, 12, 31)  # the synthetic nation's last day; every decision is as of it
ACTION = "buy_flight_ticket"
SCOPES = {"categories": ["*"], "disclosures": ["public", "shared"], "actions": ["*"]}
HEADER = (
    "subject,name,category,doc_no,decided_on,status,status_date,amount_due,ground,aggravated,"
    "security_sufficient,seized_assets_sufficient,later_in_order,court"
)
Body = Callable[[random.Random], Any]


@dataclass
class Nation:
    """The store, its sizes and the subjects to decide on."""

    url: str
    sizes: dict[str, Any]
    listed: list[str]
    unlisted: list[str]
    known: set[str]
    key: str = ""


@dataclass
class Load:
    """What the client threads measured in one phase."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


# -- the store ---------------------------------------------------------------------------------


@contextmanager
def open_store(db: str | None, folder: Path) -> Iterator[str]:
    """A fresh store: a SQLite file in ``folder``, or a new schema on the PostgreSQL server
    named by ``db`` (dropped afterwards). Yields its URL."""
    if db is None or db.startswith("sqlite"):
        yield db or f"sqlite:///{folder / 'bench.db'}"
        return
    schema = f"bench_api_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(db).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def build_nation(url: str, args: argparse.Namespace, folder: Path) -> Nation:
    """Generate the nation's feeds, ingest them, label as of AS_OF and create the key."""
    book = load_book()
    started = time.perf_counter()
    summary = generate_nation(
        folder / "feeds", persons=args.persons, orgs=args.orgs, seed=args.seed
    )
    migrate(url)
    engine = connect(url)
    rows = ingest_feeds(engine, book, folder / "feeds")
    labelled = label(engine, book, AS_OF)
    nation = pick_subjects(engine, url)
    nation.key = create_key(engine, "agency", "bench", agency="court", scopes=SCOPES)
    nation.sizes = {
        "persons": summary.persons,
        "orgs": summary.orgs,
        "rows": rows,
        "records": labelled.records,
        "entries": labelled.entries,
        "subjects": len(nation.known),
        "listed_subjects": len(nation.listed),
        "unlisted_subjects": len(nation.unlisted),
        "setup_seconds": round(time.perf_counter() - started, 1),
    }
    engine.dispose()
    return nation


def ingest_feeds(engine: Engine, book: Rulebook, feeds: Path) -> int:
    manifest = json.loads((feeds / "manifest.json").read_text())
    rows = 0
    for item in manifest["files"] if isinstance(manifest, dict) else manifest:
        path = feeds / item["file"]
        report = ingest_file(engine, book, path, item["agency"], item.get("category"))
        rows += len(report.outcomes)
    return rows


def pick_subjects(engine: Engine, url: str) -> Nation:
    """Listed: an entry active on AS_OF; unlisted: every other subject in the store."""
    e = t.list_entries.c
    active = (e.starts <= AS_OF) & (e.ends.is_(None) | (e.ends > AS_OF))
    with engine.connect() as db:
        listed = set(db.execute(select(e.subject_id).where(active).distinct()).scalars())
        known = set(db.execute(select(t.subjects.c.id)).scalars())
    unlisted = sorted(known - listed)
    return Nation(url, {}, sorted(listed), unlisted, known)


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def run_server(url: str, workers: int, log_path: Path) -> Iterator[str]:
    """``socialcredit serve`` as a subprocess (its own process group); yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("socialcredit")), "serve", "--port", str(port)]
    command += ["--db", url, "--workers", str(workers)]
    with log_path.open("w") as log:
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, log_path)
        yield base
    finally:
        stop(server)


def wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /v1/health in {limit} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (uvicorn and its workers), SIGKILL if stuck."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


# -- load --------------------------------------------------------------------------------------


def client(base: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)


@dataclass(frozen=True)
class Phase:
    """One phase: what every client thread posts, and until when it starts new requests."""

    base: str
    key: str
    path: str
    body: Body
    deadline: float


def hammer(phase: Phase, concurrency: int, seed: int) -> Load:
    """``concurrency`` threads post ``body(rng)`` back to back, starting new requests until
    the deadline. Every request counts; the phase ends when the last one has answered, so
    a slow batch is measured whole (the phase may overrun the deadline by one request)."""
    load = Load()
    start = time.perf_counter()
    threads = [
        threading.Thread(target=client_loop, args=(phase, random.Random(seed + n), load))
        for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - start
    return load


def client_loop(phase: Phase, rng: random.Random, load: Load) -> None:
    with client(phase.base, phase.key) as http:
        while (sent := time.perf_counter()) < phase.deadline:
            payload = phase.body(rng)
            try:
                outcome: int | str = http.post(phase.path, json=payload).status_code
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            record(load, outcome, time.perf_counter() - sent)


def record(load: Load, outcome: int | str, took: float) -> None:
    with load.lock:
        if isinstance(outcome, str):
            load.failures[outcome] += 1
        else:
            load.statuses[outcome] += 1
            if outcome == 200:
                load.latencies.append(took)


def figures(load: Load, per_request: int, unit: str) -> dict[str, Any]:
    """Throughput of successful requests and their latency quantiles (ms)."""
    done = len(load.latencies)
    q = statistics.quantiles(load.latencies, n=100) if done > 1 else [0.0] * 99
    return {
        "requests": done,
        f"{unit}_per_s": round(done * per_request / load.seconds, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "seconds": round(load.seconds, 1),
        "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "client_errors": dict(load.failures),
    }


def one_decision(nation: Nation) -> Body:
    """Half listed, half unlisted subjects (as far as there are listed ones)."""

    def body(rng: random.Random) -> dict[str, str]:
        pool = nation.listed if nation.listed and rng.random() < 0.5 else nation.unlisted
        return {"subject": rng.choice(pool), "action": ACTION, "as_of": AS_OF.isoformat()}

    return body


def batch_of(nation: Nation, size: int) -> Body:
    single = one_decision(nation)
    return lambda rng: {"decisions": [single(rng) for _ in range(size)]}


# -- freshness ---------------------------------------------------------------------------------


def fresh_person(rng: random.Random, known: set[str]) -> str:
    """A valid resident ID of an adult born 1960-1995, not in the store."""
    while True:
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(35 * 365))
        body = f"110105{born:%Y%m%d}{rng.randrange(1000):03d}"
        code = body + ric.calc_check_digit(body + "0")
        if code not in known:
            known.add(code)
            return code


def case_csv(subject: str, n: int) -> str:
    decided = AS_OF - dt.timedelta(days=30)
    doc = f"(2025)京01执bench{uuid.uuid4().hex[:8]}-{n}号"
    row = f"{subject},李四,court.enforcement_case,{doc},{decided},,,80000,evades"
    return f"{HEADER}\n{row},false,false,false,false,北京市第一中级人民法院\n"


def effect(http: httpx.Client, subject: str) -> str:
    request = {"subject": subject, "action": ACTION, "as_of": AS_OF.isoformat()}
    response = http.post("/v1/decisions", json=request)
    response.raise_for_status()
    return str(response.json()["effect"])


def freshness_once(
    http: httpx.Client, nation: Nation, rng: random.Random, n: int
) -> dict[str, Any]:
    """Submit one case for a fresh person; poll decisions until deny. Times in seconds."""
    subject = fresh_person(rng, nation.known)
    before = effect(http, subject)
    sent = time.perf_counter()
    response = http.post(
        "/v1/records", content=case_csv(subject, n), headers={"Content-Type": "text/csv"}
    )
    accepted = time.perf_counter()
    if response.status_code != 200 or response.json()["accepted"] != 1:
        raise RuntimeError(f"the case was not accepted: {response.text}")
    polls = 1
    while effect(http, subject) != "deny":
        if time.perf_counter() - accepted > 30:
            raise RuntimeError(f"no deny for {subject} 30 s after its case was accepted")
        polls += 1
    took = time.perf_counter() - accepted
    return {"before": before, "submit": accepted - sent, "deny_after": took, "polls": polls}


def freshness(base: str, nation: Nation, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    with client(base, nation.key) as http:
        runs = [freshness_once(http, nation, rng, n) for n in range(args.freshness_runs)]
    deny = sorted(r["deny_after"] for r in runs)
    submit = sorted(r["submit"] for r in runs)
    return {
        "runs": len(runs),
        "allow_before_submission": sum(r["before"] == "allow" for r in runs),
        "submit_p50_ms": round(statistics.median(submit) * 1000, 2),
        "submit_max_ms": round(submit[-1] * 1000, 2),
        "deny_after_p50_ms": round(statistics.median(deny) * 1000, 2),
        "deny_after_max_ms": round(deny[-1] * 1000, 2),
        "polls_max": max(r["polls"] for r in runs),
    }


# -- main --------------------------------------------------------------------------------------


def measure(base: str, nation: Nation, args: argparse.Namespace) -> dict[str, Any]:
    """Warm-up (uncounted single decisions), single decisions, batches, freshness."""

    def phase(path: str, body: Body, seconds: float) -> Load:
        deadline = time.perf_counter() + seconds
        return hammer(Phase(base, nation.key, path, body, deadline), args.concurrency, args.seed)

    single = one_decision(nation)
    phase("/v1/decisions", single, args.warmup)
    singles = phase("/v1/decisions", single, args.seconds)
    batches = phase("/v1/decisions/batch", batch_of(nation, args.batch), args.seconds)
    return {
        "single": figures(singles, 1, "requests"),
        "batch": figures(batches, args.batch, "decisions"),
        "freshness": freshness(base, nation, args),
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--db", help="SQLAlchemy URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--seconds", type=float, default=20, help="measured time per phase")
    parser.add_argument(
        "--warmup", type=float, default=2, help="uncounted seconds before the phases"
    )
    parser.add_argument("--batch", type=int, default=100, help="decisions per batch request")
    parser.add_argument("--freshness-runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--server-log", type=Path, help="keep the server's output here")
    return parser.parse_args()


def report(result: dict[str, Any], target: Path) -> None:
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for inner, figure in value.items():
                print(f"{inner:>26}: {figure}")
        else:
            print(f"{key:>26}: {value}")
    print(f"written to {target}")


def environment(load_at_start: float) -> dict[str, Any]:
    cores = os.cpu_count()
    return {
        "cores": cores,
        "note": f"client threads and server share the same {cores} cores on loopback",
        # other processes may compete for the cores: the 1-minute load average before the
        # setup and after the freshness runs (this benchmark's own load included)
        "load_average_1m": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
        "machine": platform.machine(),
        "python": platform.python_version(),
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }


def main() -> None:
    args = parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as name, open_store(args.db, Path(name)) as url:
        nation = build_nation(url, args, Path(name))
        log = args.server_log or Path(name) / "server.log"
        with run_server(url, args.workers, log) as base:
            measured = measure(base, nation, args)
    store = make_url(url).get_backend_name()
    result = {
        "store": store,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "action": ACTION,
        "as_of": AS_OF.isoformat(),
        "inputs": nation.sizes,
        **measured,
        **environment(load_at_start),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.concurrency == 8 else f"-c{args.concurrency}"
    target = args.out / f"api-{store}-{args.workers}{suffix}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    report(result, target)


if __name__ == "__main__":
    main()
