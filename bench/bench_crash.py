"""Crash injection at volume: ``socialcredit ingest`` and ``socialcredit label`` killed with
SIGKILL at seeded random moments, ``--kills`` times in all (default 1000), in rounds over a
fresh store; after each round every step is run again to its end and the store must equal
the store of one clean run (records, statuses, subjects and names, relations, batches and
rejections, the latest run's entries and ratings, measures in force, feed events) with an
audit chain that verifies. The harness is ``tests/crash_harness.py``, as in
``tests/test_crash_safety.py``.

    nice -n 19 python bench/bench_crash.py --kills 60
    nice -n 19 python bench/bench_crash.py --kills 1000 \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A kill "landed" when the command was still running; "before commit" when nothing of it was
stored (a kill during start-up counts there too). Each kill costs one start of the command
(a few seconds on a busy machine), so 1000 kills take about an hour. Figures go to stdout
and bench/results/crash-<store>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_audit import postgres_store
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' harness

from tests.crash_harness import (
    Kills,
    Step,
    clean_run,
    crashed_run,
    differences,
    kill_span,
    snapshot,
    steps_of,
)

from socialcredit.services.context import Context
from socialcredit.services.packs.rulebook import load_book
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation

RESULTS = Path(__file__).parent / "results"


@contextmanager
def fresh_store(folder: Path, postgres: str | None, name: str) -> Iterator[Engine]:
    """A new migrated store: a SQLite file in ``folder``, or a new PostgreSQL schema."""
    if not postgres:
        url = f"sqlite:///{folder / f'{name}.db'}"
        migrate(url)
        engine = connect(url)
        yield engine
        engine.dispose()
        return
    with postgres_store(postgres) as engine:
        yield engine


def rounds(total: int, per_round: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """(ingest kills, label kills) of each round until ``total`` kills are planned."""
    left = total
    while left > 0:
        ingest = min(per_round[0], left)
        label = min(per_round[1], left - ingest)
        left -= ingest + label
        yield ingest, label


def run(args: argparse.Namespace) -> dict[str, object]:
    book = load_book()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        generate_nation(folder / "feeds", persons=args.persons, orgs=args.orgs, seed=args.seed)
        steps: list[Step] = steps_of(folder / "feeds")
        with fresh_store(folder, None, "reference") as reference:
            clean_run(steps, Context(reference, book))
            url = reference.url.render_as_string(hide_password=False)
            span = kill_span(steps, url, folder)
            expected = snapshot(reference)
        rng, kills, failures, count = random.Random(args.seed), Kills(), [], 0
        began = time.monotonic()
        for count, plan in enumerate(rounds(args.kills, (args.per_round, args.per_round)), 1):
            with fresh_store(folder, args.postgres, f"round{count}") as store:
                kills.add(crashed_run(steps, Context(store, book), folder, span, rng, plan))
                found = differences(snapshot(store), expected)
            failures += [f"round {count}: {problem}" for problem in found]
            print(f"round {count}: {kills.as_dict()} {found or 'ok'}", flush=True)
    return {
        "store": "postgresql" if args.postgres else "sqlite",
        "kills": kills.as_dict(),
        "rounds": count,
        "rounds_differing": len({f.split(":")[0] for f in failures}),
        "differences": failures,
        "command_seconds": round(span, 2),
        "seconds": round(time.monotonic() - began, 1),
        "nation": {"persons": args.persons, "orgs": args.orgs, "seed": args.seed},
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000, help="kills in all")
    parser.add_argument("--per-round", type=int, default=5, help="ingest and label kills a round")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--persons", type=int, default=150)
    parser.add_argument("--orgs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    result = run(parser.parse_args())
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"crash-{result['store']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    sys.exit(1 if result["differences"] else 0)


if __name__ == "__main__":
    main()
