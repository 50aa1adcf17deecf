"""Fuzzing at volume: schemathesis over every ``/v1`` operation of the live OpenAPI document,
with the key of every role (agency, public, subject, auditor, admin, and none), against
``socialcredit serve`` running as a real subprocess on loopback, until a request budget is
spent (default 10,000). Reports the requests sent, the answers by status class, and every
server error (5xx) with the request that caused it.

    nice -n 19 python bench/fuzz_api.py --requests 10000
    nice -n 19 python bench/fuzz_api.py --requests 2000 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The store is a new SQLite file (or the PostgreSQL database named, which should be empty)
holding a small synthetic nation, ingested and labelled, so that generated requests reach
real files, lists and records. Positive and negative cases (schemathesis' generation modes)
are drawn for each operation and role in turn, the budget shared equally. Figures go to
stdout and bench/results/fuzz-<store>.json; the exit status is 1 when a 5xx was found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers

from tests.api_server import free_port, role_keys
from tests.crash_harness import clean_run, steps_of

from socialcredit.services.access.keys import create_key
from socialcredit.services.context import Context
from socialcredit.services.packs.rulebook import load_book
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation

RESULTS = Path(__file__).parent / "results"
CLI = str(Path(sys.executable).parent / "socialcredit")


def prepared_store(url: str, folder: Path) -> dict[str, str]:
    """A small nation ingested and labelled in the store at ``url``; a key of every role."""
    migrate(url)
    engine = connect(url)
    generate_nation(folder / "feeds", persons=120, orgs=30, seed=3)
    clean_run(steps_of(folder / "feeds"), Context(engine, load_book()))
    keys = role_keys(engine)
    keys["public-scoped agency"] = create_key(
        engine,
        "agency",
        "tax bureau, public scope",
        agency="sta",
        scopes={"disclosures": ["public"]},
    )
    engine.dispose()
    return keys


def start_server(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [CLI, "serve", "--port", str(port)],
        env={**os.environ, "SOCIALCREDIT_DB": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError(f"the server did not start: {(folder / 'server.log').read_text()[-2000:]}")


class Tally:
    def __init__(self, budget: int) -> None:
        self.budget, self.sent = budget, 0
        self.statuses: Counter[str] = Counter()
        self.errors: list[dict[str, Any]] = []

    def record(self, label: str, role: str, case: Any, response: Any) -> None:
        self.sent += 1
        self.statuses[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500 and len(self.errors) < 200:
            self.errors.append(
                {
                    "operation": label,
                    "role": role,
                    "status": response.status_code,
                    "request": _curl(case),
                    "body": response.text[:300],
                }
            )


def _curl(case: Any) -> str:
    try:
        return str(case.as_curl_command())
    except Exception as error:  # the request is still named by its operation
        return f"(not rendered: {error})"


def fuzz_operation(operation: Any, role: str, key: str | None, tally: Tally, n: int) -> None:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    cases = st.one_of(
        *(operation.as_strategy(generation_mode=m, headers=headers) for m in GenerationMode)
    )

    @given(case=cases)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        if tally.sent >= tally.budget:
            return
        try:
            response = case.call(headers=headers, timeout=60)
        except Exception as error:  # a dropped connection is a server failure too
            tally.errors.append({"operation": operation.label, "role": role, "error": str(error)})
            return
        tally.record(operation.label, role, case, response)

    check()


def fuzz(base: str, keys: dict[str, str | None], budget: int) -> Tally:
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    operations = [o for o in operations if o.path.startswith("/v1")]
    tally = Tally(budget)
    while tally.sent < budget:
        before = tally.sent
        share = max(1, (budget - tally.sent) // (len(operations) * len(keys)) + 1)
        for role, key in keys.items():
            for operation in operations:
                fuzz_operation(operation, role, key, tally, share)
        if tally.sent == before:
            break  # nothing more can be drawn
    print(f"{len(operations)} operations x {len(keys)} roles", flush=True)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="the request budget")
    parser.add_argument("--db", help="a store URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        url = args.db or f"sqlite:///{folder / 'fuzz.db'}"
        keys: dict[str, str | None] = {**prepared_store(url, folder), "none": None}
        server, base = start_server(url, folder)
        began = time.monotonic()
        try:
            tally = fuzz(base, keys, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
        log = (folder / "server.log").read_text(encoding="utf-8", errors="replace")
    result = {
        "store": "postgresql" if args.db and args.db.startswith("postgresql") else "sqlite",
        "budget": args.requests,
        "requests": tally.sent,
        "by_status": dict(tally.statuses),
        "server_errors": len(tally.errors),
        "errors": tally.errors,
        "tracebacks_in_server_log": log.count("Traceback"),
        "seconds": round(time.monotonic() - began, 1),
        "load_average": os.getloadavg(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"fuzz-{result['store']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=2))
    for error in tally.errors[:20]:
        print(json.dumps(error, ensure_ascii=False))
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()
