"""Benchmark of decisions over HTTP against a minimal FastAPI app, driven by ``wrk``.

    .venv/bin/python bench/bench_http.py --persons 300 --orgs 60 --seconds 3     # smoke run
    .venv/bin/python bench/bench_http.py --workers 2 \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A synthetic nation is generated, ingested and labelled (``bench_api.build_nation``); then on
loopback, side by side:

- A: ``socialcredit serve`` over that store (its decision index built whole before the
  first measured request: the bench waits for ``/v1/health`` to say ``ready``);
- B: a minimal FastAPI app under the same ASGI server that parses the same request body with
  a pydantic model and answers a precomputed decision (one of A's own answers), and a
  precomputed batch of 100.

``wrk`` (Debian package) posts the bodies from a Lua script that cycles through a few
thousand requests (half listed, half unlisted subjects), in rounds A, B, A, B for single
decisions, then for batches of 100 (``explain: false``, as screening asks), each round
--seconds long; the better round of each counts. Then freshness: one client submits a case
for a fresh person (``POST /v1/records``) and polls ``POST /v1/decisions`` until it says
deny; p50 and p99 of the time from sending the record to the first deny. With ``--server
hypercorn`` or ``granian`` (if installed) both apps run under that server instead of
uvicorn. ``--seal-every S`` (default 0.5) sets SOCIALCREDIT_AUDIT_SEAL_EVERY for our
service: decisions' audit entries are committed before each answer and chained in groups
by a background sealer (0: each sealed at its own commit, as without the setting). Prints
the figures and writes bench/results/http-<store>-<workers>-<server>.json.
Timings are wall-clock on whatever machine runs this (client and servers share the cores);
tests never assert them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from bench_api import (
    ACTION,
    AS_OF,
    Nation,
    build_nation,
    client,
    environment,
    free_port,
    freshness_once,
    open_store,
    stop,
)
from sqlalchemy import make_url

MINIMAL_APP = """
import json, os
from fastapi import FastAPI
from pydantic import BaseModel

class DecisionRequest(BaseModel):
    subject: str
    action: str
    as_of: str | None = None
    purpose: str | None = None
    explain: bool = True

class BatchRequest(BaseModel):
    decisions: list[DecisionRequest]
    explain: bool = True

ONE = json.loads(os.environ["BENCH_ONE"])
BATCH = json.loads(os.environ["BENCH_BATCH"])
app = FastAPI()

@app.post("/v1/decisions")
def one(request: DecisionRequest) -> dict:
    return ONE

@app.post("/v1/decisions/batch")
def batch(request: BatchRequest) -> dict:
    return BATCH
"""

LUA = """
local bodies = {BODIES}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "{PATH}", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer {KEY}"
  }, bodies[(n % #bodies) + 1])
end
"""


def server_command(server: str, target: str, port: int, workers: int) -> list[str]:
    """The ASGI server's command line for ``module:app`` on loopback."""
    python = sys.executable
    if server == "uvicorn":
        extra = ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
        return [python, "-m", "uvicorn", target, "--port", str(port), *extra]
    if server == "hypercorn":
        return [python, "-m", "hypercorn", target, "-b", f"127.0.0.1:{port}", "-w", str(workers)]
    if server == "granian":
        extra = ["--interface", "asgi", "--workers", str(workers), "--log-level", "warning"]
        return [python, "-m", "granian", target, "--port", str(port), *extra]
    raise SystemExit(f"unknown server {server}")


@contextmanager
def serving(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[None]:
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield
    finally:
        stop(process)


def wait_for(base: str, ready: str | None, limit: float = 600) -> None:
    """Until /v1/health answers (and, for ours, its decision index is ``ready``)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{base}/v1/health", timeout=2)
            if response.status_code == 200 and (
                ready is None or response.json().get("decision_index") == ready
            ):
                return
            if response.status_code == 404 and ready is None:
                return  # the minimal app has no health route: it answers, that is enough
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base} was not ready in {limit} s")


def bodies(nation: Nation, batch: int, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Single and batch request bodies (JSON text), half listed and half unlisted subjects."""
    rng = random.Random(seed)

    def one() -> dict[str, Any]:
        pool = nation.listed if nation.listed and rng.random() < 0.5 else nation.unlisted
        return {"subject": rng.choice(pool), "action": ACTION, "as_of": AS_OF.isoformat()}

    singles = [json.dumps(one()) for _ in range(count)]
    batches = [
        json.dumps({"explain": False, "decisions": [one() for _ in range(batch)]})
        for _ in range(max(count // batch, 20))
    ]
    return singles, batches


def lua_script(folder: Path, name: str, path: str, key: str, texts: list[str]) -> Path:
    quoted = ",\n".join(json.dumps(text) for text in texts)  # JSON strings are Lua strings
    script = LUA.replace("{BODIES}", "{" + quoted + "}").replace("{PATH}", path)
    target = folder / f"{name}.lua"
    target.write_text(script.replace("{KEY}", key))
    return target


def run_wrk(base: str, script: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s"]
    command += ["--latency", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, p50 and p99 (ms) and the count of non-2xx answers from wrk's report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    quantiles = {
        q: _ms(value, unit)
        for q, value, unit in re.findall(
            r"^\s+(50|99)(?:\.\d+)?%\s+([\d.]+)(us|ms|s)", output, re.M
        )
    }
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "requests_per_s": float(rate.group(1)) if rate else 0.0,
        "p50_ms": quantiles.get("50"),
        "p99_ms": quantiles.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def rounds(legs: dict[str, tuple[str, Path]], args: argparse.Namespace) -> dict[str, Any]:
    """A, B, A, B: every leg twice, interleaved; each leg's better round counts."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in legs}
    for _ in range(args.rounds):
        for name, (base, script) in legs.items():
            found[name].append(run_wrk(base, script, args))
    return {
        name: max(results, key=lambda r: r["requests_per_s"]) | {"rounds": results}
        for name, results in found.items()
    }


def freshness(base: str, nation: Nation, runs: int, seed: int) -> dict[str, Any]:
    """Time from sending ``POST /v1/records`` to the first decision that reflects it."""
    rng = random.Random(seed)
    with client(base, nation.key) as http:
        found = [freshness_once(http, nation, rng, n) for n in range(runs)]
    took = sorted((r["submit"] + r["deny_after"]) * 1000 for r in found)
    q = statistics.quantiles(took, n=100, method="inclusive") if len(took) > 1 else took * 99
    return {
        "runs": len(found),
        "p50_ms": round(q[49], 2),
        "p99_ms": round(q[98], 2),
        "max_ms": round(took[-1], 2),
        "polls_max": max(r["polls"] for r in found),
    }


def reference_answers(base: str, nation: Nation, single: str, batch: str) -> dict[str, str]:
    """One of our own answers to serve precomputed from the minimal app."""
    with client(base, nation.key) as http:
        one = http.post("/v1/decisions", content=single).json()
        many = http.post("/v1/decisions/batch", content=batch).json()
    return {"BENCH_ONE": json.dumps(one), "BENCH_BATCH": json.dumps(many)}


def measure(url: str, nation: Nation, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "SOCIALCREDIT_DB": url,
        "SOCIALCREDIT_AUDIT_SEAL_EVERY": str(args.seal_every),
    }
    ours, minimal = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    command = server_command(
        args.server, "socialcredit.asgi:app", int(ours.rsplit(":", 1)[1]), args.workers
    )
    singles, batches = bodies(nation, args.batch, 2000, args.seed)
    with serving(command, env, Path.cwd(), folder / "ours.log"):
        wait_for(ours, "ready")
        (folder / "minimal_app.py").write_text(MINIMAL_APP)
        env_b = {**os.environ, **reference_answers(ours, nation, singles[0], batches[0])}
        port_b = int(minimal.rsplit(":", 1)[1])
        with serving(
            server_command(args.server, "minimal_app:app", port_b, args.workers),
            env_b,
            folder,
            folder / "minimal.log",
        ):
            wait_for(minimal, None)
            single = {
                "ours": (ours, lua_script(folder, "a1", "/v1/decisions", nation.key, singles)),
                "minimal": (minimal, lua_script(folder, "b1", "/v1/decisions", "-", singles)),
            }
            batch = {
                "ours": (
                    ours,
                    lua_script(folder, "a2", "/v1/decisions/batch", nation.key, batches),
                ),
                "minimal": (minimal, lua_script(folder, "b2", "/v1/decisions/batch", "-", batches)),
            }
            measured = {"single": rounds(single, args), "batch": rounds(batch, args)}
        measured["freshness"] = freshness(ours, nation, args.freshness_runs, args.seed)
    return measured


def summary(measured: dict[str, Any], batch: int) -> dict[str, Any]:
    single, many = measured["single"], measured["batch"]
    return {
        "single_req_per_s": single["ours"]["requests_per_s"],
        "single_minimal_req_per_s": single["minimal"]["requests_per_s"],
        "single_share_of_minimal": round(
            single["ours"]["requests_per_s"] / max(single["minimal"]["requests_per_s"], 1e-9), 3
        ),
        "batch_decisions_per_s": round(many["ours"]["requests_per_s"] * batch),
        "batch_minimal_decisions_per_s": round(many["minimal"]["requests_per_s"] * batch),
        "freshness_p50_ms": measured["freshness"]["p50_ms"],
        "freshness_p99_ms": measured["freshness"]["p99_ms"],
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--db", help="SQLAlchemy URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes of each app")
    parser.add_argument("--server", default="uvicorn", choices=["uvicorn", "hypercorn", "granian"])
    parser.add_argument(
        "--seal-every",
        type=float,
        default=0.5,
        help="seconds between background seals of decision entries (0: each at its commit)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--seconds", type=int, default=20, help="seconds per wrk round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of A, B")
    parser.add_argument("--batch", type=int, default=100, help="decisions per batch request")
    parser.add_argument("--freshness-runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as name, open_store(args.db, Path(name)) as url:
        nation = build_nation(url, args, Path(name))
        measured = measure(url, nation, args, Path(name))
    store = make_url(url).get_backend_name()
    result = {
        "store": store,
        "workers": args.workers,
        "server": args.server,
        "audit_seal_every_s": args.seal_every,
        "wrk": {"threads": args.threads, "connections": args.connections, "seconds": args.seconds},
        "inputs": nation.sizes,
        "summary": summary(measured, args.batch),
        **measured,
        **environment(load_at_start),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"http-{store}-{args.workers}-{args.server}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result["summary"], indent=2))
    print(f"load average (1 min) before and after: {result['load_average_1m']}")
    print(f"written to {target}")


if __name__ == "__main__":
    main()
