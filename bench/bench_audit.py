"""Benchmark of audit-log appends: one entry per transaction (as a decision logs), from 1 and
from 4 concurrent writer threads, on SQLite and PostgreSQL; appends/s and p50/p99 latency of
the transaction. ``--baseline`` also runs each case with the old global lock (every
transaction takes ``LOCK TABLE audit_log IN EXCLUSIVE MODE`` on PostgreSQL, the database
write lock on SQLite, before it appends), for comparison in the same run.

    python bench/bench_audit.py --seconds 2                       # SQLite only
    python bench/bench_audit.py --seconds 10 --baseline \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Each case runs on a new store (a SQLite file in a temporary folder; a new PostgreSQL
schema, dropped at the end). At the end the log is sealed and verified (chain intact, every
append present once). Figures go to stdout and bench/results/audit.json. Wall-clock timings
on whatever machine runs this; tests never assert them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from socialcredit.store.audit_log import append, entries, seal, verify_chain
from socialcredit.store.database import connect, migrate

RESULTS = Path(__file__).parent / "results"


@contextmanager
def sqlite_store() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = connect(url)
        yield engine
        engine.dispose()


@contextmanager
def postgres_store(server: str) -> Iterator[Engine]:
    admin = create_engine(server)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as db:
        db.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        migrate(rendered)
        engine = connect(rendered)
        yield engine
        engine.dispose()
    finally:
        with admin.begin() as db:
            db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def global_lock(engine: Engine, db: object) -> None:
    """What every append did before: one lock for the whole log, held to commit."""
    if engine.dialect.name == "postgresql":
        db.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))  # type: ignore[attr-defined]
    else:
        db.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))  # type: ignore[attr-defined]


def run(engine: Engine, writers: int, seconds: float, baseline: bool) -> dict[str, float]:
    latencies: list[list[float]] = [[] for _ in range(writers)]
    stop = time.monotonic() + seconds

    def work(n: int) -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            with engine.begin() as db:
                if baseline:
                    global_lock(engine, db)
                entry = {"actor": f"bench:{n}", "action": "decide", "purpose": "bench"}
                append(db, {**entry, "result": "allow"})
            latencies[n].append(time.perf_counter() - start)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for per in latencies for x in per)
    with engine.begin() as db:
        seal(db)
    with engine.connect() as db:
        logged, problems = len(entries(db)), verify_chain(db)
    if logged != len(every) or problems:
        sys.exit(f"the log does not hold every append: {logged} of {len(every)}, {problems[:3]}")
    return {
        "appends": len(every),
        "appends_per_s": round(len(every) / elapsed, 1),
        "p50_ms": round(statistics.median(every) * 1000, 3),
        "p99_ms": round(every[min(len(every) - 1, int(len(every) * 0.99))] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per case")
    parser.add_argument("--postgres", help="SQLAlchemy URL of a PostgreSQL server")
    parser.add_argument("--baseline", action="store_true", help="also run with the old lock")
    args = parser.parse_args()
    stores = [("sqlite", sqlite_store)]
    if args.postgres:
        stores.append(("postgresql", lambda: postgres_store(args.postgres)))
    results = []
    for name, make in stores:
        for lock in [False, True] if args.baseline else [False]:
            for writers in (1, 4):
                with make() as engine:
                    figures = run(engine, writers, args.seconds, lock)
                row = {"store": name, "writers": writers, "global_lock": lock, **figures}
                results.append(row)
                print(json.dumps(row))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "audit.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
