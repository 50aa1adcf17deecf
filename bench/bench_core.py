"""Benchmark of the core pipeline: ingest (records/s), labelling (records/s) and in-process
decisions (decisions/s, p50 and p99 latency). Prints the figures and writes them as JSON.

    python bench/bench_core.py --records 100000          # the store pipeline on SQLite
    python bench/bench_core.py --label-only --records 1000000   # the engine alone, in memory

Timings are wall-clock on whatever machine runs this; tests never assert them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from socialcredit.core.engine import Engine
from socialcredit.core.facts import MemoryFacts, Record, StatusChange, Subject
from socialcredit.services.labelling.run import label, label_facts
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.database import connect, migrate

AS_OF = dt.date(2025, 12, 31)
GROUNDS = [
    "refuses_with_ability",
    "obstructs",
    "evades",
    "breaches_asset_reporting",
    "breaches_restriction",
    "breaches_settlement",
]


def memory_nation(records: int, seed: int) -> MemoryFacts:
    """``records`` enforcement cases over records/2 persons, built in memory (no files)."""
    rng = random.Random(seed)
    facts = MemoryFacts()
    persons = max(1, records // 2)
    for n in range(persons):  # a distinct number per person: birth day and sequence from n
        born = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000 % 18_000)
        body = f"110105{born:%Y%m%d}{n % 1000:03d}"
        code = body + ric.calc_check_digit(body + "0")
        facts.add_subject(Subject.from_code(code))
    codes = list(facts.subjects)
    for n in range(records):
        decided = dt.date(2017, 5, 1) + dt.timedelta(days=rng.randrange(3000))
        history = (
            (StatusChange("performed", decided + dt.timedelta(days=rng.randrange(1, 900))),)
            if rng.random() < 0.5
            else ()
        )
        fields = {
            "amount_due": float(rng.randrange(1000, 10**6)),
            "ground": rng.choice(GROUNDS),
            "aggravated": rng.random() < 0.1,
            "security_sufficient": rng.random() < 0.05,
            "seized_assets_sufficient": rng.random() < 0.05,
            "later_in_order": rng.random() < 0.03,
            "court": None,
        }
        facts.add_record(
            Record(
                f"r{n}",
                codes[n % len(codes)],
                "court.enforcement_case",
                "court",
                f"d{n}",
                decided,
                fields,
                history,
            )
        )
    return facts


def time_decisions(engine: Engine, facts: MemoryFacts, count: int, seed: int) -> dict[str, Any]:
    # A long-lived decision process holds millions of facts that never die: freezing them
    # keeps the cyclic garbage collector from walking them all on every full collection.
    gc.collect()
    gc.freeze()
    rng = random.Random(seed)
    subjects = list(facts.records) or list(facts.subjects)
    latencies = []
    for _ in range(count):
        subject = rng.choice(subjects)
        start = time.perf_counter()
        engine.decide(facts, subject, "buy_flight_ticket", AS_OF)
        latencies.append(time.perf_counter() - start)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "decisions": count,
        "decisions_per_s": round(count / sum(latencies)),
        "p50_ms": round(quantiles[49] * 1000, 4),
        "p99_ms": round(quantiles[98] * 1000, 4),
    }


def bench_label_only(records: int, seed: int) -> dict[str, Any]:
    book = load_book(("cn-consumption-restrictions",))
    facts = memory_nation(records, seed)
    start = time.perf_counter()
    entries, _ = label_facts(book, facts, AS_OF)
    seconds = time.perf_counter() - start
    result = {
        "mode": "label-only",
        "records": records,
        "label_seconds": round(seconds, 2),
        "label_records_per_s": round(records / seconds),
        "entries": len(entries),
    }
    del entries
    return result | time_decisions(Engine(book), facts, 20_000, seed)


def bench_pipeline(records: int, seed: int) -> dict[str, Any]:
    from socialcredit.synth import generate_nation

    book = load_book()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # One registration per organisation plus about 0.043 cases per person (synth/rates.py):
        # with orgs = persons / 4, records come to about 0.29 per person.
        persons = max(100, int(records / 0.29))
        start = time.perf_counter()
        summary = generate_nation(root / "feeds", persons=persons, orgs=persons // 4, seed=seed)
        generate_s = time.perf_counter() - start
        url = f"sqlite:///{root / 'bench.db'}"
        migrate(url)
        engine = connect(url)
        manifest = json.loads((root / "feeds" / "manifest.json").read_text())
        files = manifest["files"] if isinstance(manifest, dict) else manifest
        start, rows = time.perf_counter(), 0
        for item in files:
            report = ingest_file(
                engine, book, root / "feeds" / item["file"], item["agency"], item.get("category")
            )
            rows += len(report.outcomes)
        ingest_s = time.perf_counter() - start
        start = time.perf_counter()
        labelled = label(engine, book, AS_OF)
        label_s = time.perf_counter() - start
        with engine.connect() as db:
            facts = load_all(db, book)
        result = {
            "mode": "pipeline",
            "persons": summary.persons,
            "orgs": summary.orgs,
            "rows": rows,
            "records": labelled.records,
            "generate_seconds": round(generate_s, 2),
            "ingest_seconds": round(ingest_s, 2),
            "ingest_rows_per_s": round(rows / ingest_s),
            "label_seconds": round(label_s, 2),
            "label_records_per_s": round(labelled.records / label_s),
            "entries": labelled.entries,
            **time_decisions(Engine(book), facts, 20_000, seed),
        }
        engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--records", type=int, default=100_000, help="approximate number of records"
    )
    parser.add_argument(
        "--label-only", action="store_true", help="time the engine on in-memory records"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    result = (
        bench_label_only(args.records, args.seed)
        if args.label_only
        else bench_pipeline(args.records, args.seed)
    )
    result |= {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"core-{result['mode']}-{args.records}.json"
    target.write_text(json.dumps(result, indent=2))
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    print(f"written to {target}")


if __name__ == "__main__":
    main()
