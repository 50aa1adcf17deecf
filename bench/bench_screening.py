"""Bulk screening: counterparties against a labelled synthetic nation's lists, in process.

    .venv/bin/python bench/bench_screening.py                       # 10,000 counterparties
    .venv/bin/python bench/bench_screening.py --counterparties 200 --persons 400 --orgs 80

The nation is generated, ingested and labelled on SQLite (not timed). The counterparties are
a known mix: a quarter listed subjects by identifier, a quarter listed names with their
region (no identifier), a quarter listed names without region, a quarter unlisted subjects of
the same nation by identifier. Reported: the time to load the candidates and build the index,
the time to screen and decide (``--action``), counterparties per second, and the statuses
found against the statuses expected (recall of the listed ones). Results are written to
``bench/results/screening-<counterparties>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from socialcredit.core.access import Principal
from socialcredit.core.screening.match import Counterparty, Matcher
from socialcredit.services.exports.ftm import restricting_lists
from socialcredit.services.labelling.run import label
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.screening.screen import load_listed, screen
from socialcredit.store import tables as t
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation

AS_OF = dt.date(2025, 12, 31)
OPERATOR = Principal(key_id="bench", role="admin", name="bench")


def nation(folder: Path, persons: int, orgs: int) -> Engine:
    feeds = folder / "feeds"
    generate_nation(feeds, persons=persons, orgs=orgs, seed=7)
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate(url)
    engine = connect(url)
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(engine, load_book(), feeds / item["file"], item["agency"], item.get("category"))
    label(engine, load_book(), AS_OF)
    return engine


def counterparties(engine: Engine, size: int, seed: int) -> tuple[list[Counterparty], list[str]]:
    """The mix described above, and the status expected of each."""
    book = load_book()
    with engine.connect() as db:
        listed, _ = load_listed(db, book, OPERATOR, restricting_lists(book), AS_OF)
        listed_ids = {s.subject for s in listed}
        others = [r for r in db.execute(select(t.subjects)) if r.id not in listed_ids and r.name]
    rng = random.Random(seed)
    named = [s for s in listed if s.name]
    parties, expected = [], []
    for row in range(1, size + 1):
        kind = row % 4
        if kind == 3 or not named:
            other = rng.choice(others)
            parties.append(Counterparty(row, other.name, other.id, None, "supplier"))
            expected.append("no_match")
            continue
        subject = rng.choice(named)
        if kind == 0:
            parties.append(Counterparty(row, subject.name, subject.subject, None, "supplier"))
            expected.append("listed")
        else:
            region = subject.region if kind == 1 else None
            parties.append(Counterparty(row, subject.name, None, region, "supplier"))
            expected.append("possible_match")
    return parties, expected


def measure(
    engine: Engine, parties: list[Counterparty], expected: list[str], action: str
) -> dict[str, Any]:
    book = load_book()
    started = time.perf_counter()
    with engine.connect() as db:
        listed, _ = load_listed(db, book, OPERATOR, restricting_lists(book), AS_OF)
    Matcher(listed)
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    report = screen(engine, book, OPERATOR, parties, action, AS_OF)
    screen_s = time.perf_counter() - started
    found = [r.status for r in report.results]
    agree = sum(1 for f, e in zip(found, expected, strict=True) if f == e)
    wanted = [i for i, e in enumerate(expected) if e != "no_match"]
    recalled = sum(1 for i in wanted if found[i] != "no_match")
    return {
        "counterparties": len(parties),
        "listed_subjects": report.listed_subjects,
        "index_seconds": round(index_s, 3),
        "screen_seconds": round(screen_s, 3),
        "counterparties_per_second": round(len(parties) / screen_s, 1),
        "decisions": len(report.decisions),
        "counts": report.counts(),
        "statuses_as_expected": agree,
        "recall_of_listed": round(recalled / len(wanted), 4) if wanted else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counterparties", type=int, default=10_000)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--action", default="bid_public_procurement")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = nation(Path(folder), args.persons, args.orgs)
        parties, expected = counterparties(engine, args.counterparties, args.seed)
        figures = measure(engine, parties, expected, args.action)
        engine.dispose()
    figures |= {"persons": args.persons, "orgs": args.orgs, "cores": os.cpu_count(),
                "load_average": os.getloadavg()[0]}  # fmt: skip
    out = Path(__file__).parent / "results" / f"screening-{args.counterparties}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    json.dump(figures, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
