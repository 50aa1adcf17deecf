"""Benchmark of the decision index, in process: single look-ups against a dict of
precomputed answers (the same questions, rounds A, B, A, B in one run), a vectorised batch,
the build, and memory per listed subject extrapolated to 14.5 million listed subjects.

    .venv/bin/python bench/bench_index.py --persons 2000 --orgs 500      # tiny: a smoke run

Prints the figures and writes them to bench/results/index-<persons>.json. Timings are
wall-clock on whatever machine runs this; tests never assert them. Targets (issue 12):
p50 at most 5x the dict look-up, p99 at most 20 us, at least 1 million decisions/s in a batch
of 10,000, 14.5 million listed subjects in 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from socialcredit.core.engine import Engine
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.index import DecisionIndex
from socialcredit.index.build import population
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.database import connect, migrate
from socialcredit.synth import generate_nation

LISTED_NATIONALLY = 14_500_000
BUDGET = 2 * 1024**3
START, END = dt.date(2015, 1, 1), dt.date(2031, 1, 1)
Question = tuple[str, str, dt.date]


def nation(folder: Path, book: Rulebook, persons: int, orgs: int, seed: int) -> MemoryFacts:
    """A synthetic nation ingested into SQLite and loaded back as labelling loads it."""
    generate_nation(folder / "feeds", persons=persons, orgs=orgs, seed=seed)
    url = f"sqlite:///{folder / 'nation.db'}"
    migrate(url)
    engine = connect(url)
    manifest = json.loads((folder / "feeds" / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        path = folder / "feeds" / item["file"]
        ingest_file(engine, book, path, item["agency"], item["category"])
    with engine.connect() as db:
        facts = load_all(db, book)
    engine.dispose()
    return facts


def questions(index: DecisionIndex, facts: MemoryFacts, count: int, seed: int) -> list[Question]:
    """Half on listed subjects, half on the rest; any action; a day in 2018-2026."""
    rng = random.Random(seed)
    everyone = population(facts)
    listed = [s for s in everyone if index.table.row(s) >= 0] or everyone
    actions = sorted(index.book.actions)
    days = (dt.date(2018, 1, 1).toordinal(), dt.date(2026, 12, 31).toordinal())
    return [
        (
            rng.choice(listed if n % 2 else everyone),
            rng.choice(actions),
            dt.date.fromordinal(rng.randint(*days)),
        )
        for n in range(count)
    ]


def timed(answer: Callable[[str, str, dt.date], Any], asked: list[Question]) -> dict[str, float]:
    """Per-call latency (each call timed alone) and the loop's throughput."""
    clock = time.perf_counter_ns
    latencies = []
    gc.disable()
    for subject, action, day in asked:
        began = clock()
        answer(subject, action, day)
        latencies.append(clock() - began)
    began = time.perf_counter()
    for subject, action, day in asked:
        answer(subject, action, day)
    loop = time.perf_counter() - began
    gc.enable()
    latencies.sort()
    return {
        "p50_us": latencies[len(latencies) // 2] / 1000,
        "p99_us": latencies[int(len(latencies) * 0.99)] / 1000,
        "per_second": len(asked) / loop,
    }


def rounds(index: DecisionIndex, asked: list[Question]) -> dict[str, Any]:
    """A (index), B (dict), A, B: the same questions, in one run; the better round of each."""
    answers = {q: index.effect(*q) for q in asked}
    contenders: dict[str, Callable[[str, str, dt.date], Any]] = {
        "index_effect": index.effect,
        "dict": lambda s, a, d: answers[(s, a, d)],
        "index_decide_ids": lambda s, a, d: index.decide(s, a, d, explain=False),
    }
    found: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    for _ in range(2):
        for name, answer in contenders.items():
            found[name].append(timed(answer, asked))
    best = {name: min(runs, key=lambda r: r["p50_us"]) for name, runs in found.items()}
    explained = timed(index.decide, asked[: max(len(asked) // 20, 50)])
    best["index_decide_explained"] = explained
    return best


def batch(index: DecisionIndex, asked: list[Question], size: int) -> dict[str, float]:
    """decide_many over ``size`` questions (one date each), the best of five."""
    chunk = (asked * (size // max(len(asked), 1) + 1))[:size]
    subjects = [q[0] for q in chunk]
    actions = [q[1] for q in chunk]
    days = [q[2] for q in chunk]
    times = []
    for _ in range(5):
        began = time.perf_counter()
        index.decide_many(subjects, actions, days)
        times.append(time.perf_counter() - began)
    return {"size": size, "best_s": min(times), "per_second": size / min(times)}


def check(index: DecisionIndex, facts: MemoryFacts, asked: list[Question]) -> int:
    """A sample answered by the engine too (the equality tests do it all): mismatches."""
    engine = Engine(index.book)
    return sum(engine.decide(facts, *q).effect != index.effect(*q) for q in asked[:500])


def memory(index: DecisionIndex) -> dict[str, float]:
    figures = index.memory()
    national = figures["fixed_bytes"] + figures["bytes_per_listed"] * LISTED_NATIONALLY
    return {**figures, "national_bytes": national, "national_gib": national / 1024**3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    book = load_book()
    with tempfile.TemporaryDirectory() as folder:
        facts = nation(Path(folder), book, args.persons, args.orgs, args.seed)
    began = time.perf_counter()
    index = DecisionIndex.build(book, facts, START, END)
    build_s = time.perf_counter() - began
    asked = questions(index, facts, args.questions, args.seed)
    single = rounds(index, asked)
    result = {
        "sizes": {"persons": args.persons, "orgs": args.orgs, "subjects": len(population(facts))},
        "covered": [START.isoformat(), END.isoformat()],
        "build": {"seconds": build_s, "subjects_per_second": len(population(facts)) / build_s},
        "single": single,
        "p50_ratio_to_dict": single["index_effect"]["p50_us"] / single["dict"]["p50_us"],
        "batch": batch(index, asked, args.batch),
        "memory": memory(index),
        "engine_mismatches_in_500": check(index, facts, asked),
        "machine": {"cores": os.cpu_count(), "load_1min": os.getloadavg()[0]},
        "python": platform.python_version(),
    }
    print(json.dumps(result, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"index-{args.persons}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
