"""Labelling side by side: the Python engine, the compiled DuckDB plan and a hand-written DuckDB
SQL version of the dishonest-judgment-debtors list (bench/dishonest_debtors.sql), on the same
generated enforcement cases written once as Parquet. The compiled plan is measured twice:
whole (``label_parquet``: entries and ratings as Arrow tables) and its entry query alone
(the same output as the hand-written SQL, counted the same way). Optionally the compiled
plan alone on a huge Parquet nation, and Spark masters (local[1] against local[2]). Each
measurement runs in its own process, so that its peak memory (max RSS) is its own. Prints
the figures, writes JSON.

    python bench/bench_label.py --sizes 100000 1000000 10000000      # A,B,C,A,B,C each size
    python bench/bench_label.py --parquet-only 100000000             # compiled plan alone
    python bench/bench_label.py --spark 10000000                     # local[1] vs local[2]
    python bench/bench_label.py --spark 1000000 --spark-masters 'local[1],local[2],local[*]'
    python bench/bench_label.py --sizes 2000 --spark 2000            # a smoke run

The Python engine runs once per size up to --python-max records (default 1,000,000).
Timings are wall-clock on whatever machine runs this; no test asserts them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from stdnum.cn import ric

from socialcredit.batch.inputs import schemas
from socialcredit.services.packs.rulebook import load_book

AS_OF = dt.date(2025, 12, 31)
PACKS = ("cn-judgment-defaulters",)
LIST = "dishonest-judgment-debtors"
GROUNDS = ["refuses_with_ability", "obstructs", "evades", "breaches_asset_reporting",
           "breaches_restriction", "breaches_settlement"]  # fmt: skip
CHUNK = 500_000


def generate(folder: Path, records: int, seed: int) -> None:
    """``records`` enforcement cases over records/2 persons as batch input, chunk by chunk."""
    book = load_book(PACKS)
    tables = schemas(book)
    rng = random.Random(seed)
    persons = max(1, records // 2)
    for name in tables:
        (folder / name).mkdir(parents=True, exist_ok=True)
    _subjects(folder, persons, tables["subjects"])
    for part, start in enumerate(range(0, records, CHUNK)):
        cases, status = [], []
        for n in range(start, min(records, start + CHUNK)):
            p = n % persons
            born = dt.date(1950, 1, 1) + dt.timedelta(days=p // 1000 % 20_000)
            body = f"110105{born:%Y%m%d}{p % 1000:03d}"
            decided = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(4300))
            cases.append({
                "id": f"r{n}", "subject": body + ric.calc_check_digit(body + "0"),
                "category": "court.enforcement_case", "agency": "court", "doc_no": f"d{n}",
                "decided_on": decided, "ord": n, "amount_due": float(rng.randrange(1000, 10**6)),
                "ground": rng.choice(GROUNDS), "aggravated": rng.random() < 0.1,
                "extension_years": rng.choice([None, 1, 2, 3, 4]),
                "security_sufficient": rng.random() < 0.05,
                "seized_assets_sufficient": rng.random() < 0.05,
                "later_in_order": rng.random() < 0.03,
                "has_ability": rng.choice([None, True, False]),
            })  # fmt: skip
            if rng.random() < 0.5:
                day = decided + dt.timedelta(days=rng.randrange(1, 900))
                status.append({"record_id": f"r{n}", "status": "performed", "date": day, "seq": n})
        table = "rec_court__enforcement_case"
        pq.write_table(pa.Table.from_pylist(cases, schema=tables[table]),
                       folder / table / f"part-{part:05d}.parquet")  # fmt: skip
        pq.write_table(pa.Table.from_pylist(status, schema=tables["record_status"]),
                       folder / "record_status" / f"part-{part:05d}.parquet")  # fmt: skip
    for name in tables:
        if not any((folder / name).iterdir()):
            pq.write_table(tables[name].empty_table(), folder / name / "part-00000.parquet")


def _subjects(folder: Path, persons: int, schema: pa.Schema) -> None:
    """One person per two cases, with a distinct valid resident ID number each."""
    for part, start in enumerate(range(0, persons, CHUNK)):
        rows = []
        for n in range(start, min(persons, start + CHUNK)):
            born = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000 % 20_000)
            body = f"110105{born:%Y%m%d}{n % 1000:03d}"
            rows.append({"id": body + ric.calc_check_digit(body + "0"), "kind": "person",
                         "birth_date": born, "region": "110105"})  # fmt: skip
        pq.write_table(pa.Table.from_pylist(rows, schema=schema),
                       folder / "subjects" / f"part-{part:05d}.parquet")  # fmt: skip


def measure(engine: str, folder: Path) -> dict[str, Any]:
    """One measurement, in this process: seconds, entries of the list, peak memory.
    ``compiled`` is what ``label_parquet`` returns (entries and ratings as Arrow tables);
    ``compiled-entries`` the plan's entry query alone, counted in DuckDB as the hand-written
    SQL is (the same output: like with like)."""
    book = load_book(PACKS)
    start = time.perf_counter()
    if engine == "python":
        entries = _python(book, folder)
    elif engine == "compiled":
        entries = _compiled(book, folder, "duckdb", None)
    elif engine == "compiled-entries":
        entries = _compiled_entries(book, folder)
    elif engine == "handwritten":
        entries = _handwritten(book, folder)
    else:  # spark:local[N]
        entries = _compiled(book, folder, "spark", engine.partition(":")[2])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "seconds": round(seconds, 3), "entries": entries,
            "peak_mb": round(peak)}  # fmt: skip


def _compiled(book: Any, folder: Path, engine: str, master: str | None) -> int:
    import pyarrow.compute as pc

    from socialcredit.batch.runner import label_parquet

    found = label_parquet(folder, book, AS_OF, engine, master)
    return int(pc.sum(pc.equal(found.entries["list_id"], LIST)).as_py() or 0)


def _compiled_entries(book: Any, folder: Path) -> int:
    """The compiled plan's as-of views and entry query, nothing after them."""
    from socialcredit.batch.compiler import compile_plan
    from socialcredit.batch.duck import DuckDBBackend

    backend = DuckDBBackend(book).read_parquet(folder)
    plan = compile_plan(book, AS_OF)
    statements = plan.statements("duckdb")
    for name in plan.views:
        build = backend.lazy_view if name in plan.lazy else backend.view
        build(name, statements[name])
    query = f"SELECT COUNT(*) FROM ({statements['entries']}) AS e WHERE e.list_id = '{LIST}'"
    counted = backend.con.execute(query).fetchone()
    return int(counted[0]) if counted else 0


def _python(book: Any, folder: Path) -> int:
    """The reference engine on the same input (the facts read into memory first: untimed
    reading would flatter it, so reading counts, as loading from the store would)."""
    import duckdb

    from socialcredit.core.facts import MemoryFacts, Record, StatusChange, Subject
    from socialcredit.services.labelling.run import label_facts

    con, facts = duckdb.connect(), MemoryFacts()
    for row in con.execute(f"SELECT * FROM read_parquet('{folder}/subjects/*.parquet')").fetchall():
        facts.add_subject(Subject(row[0], row[1], row[2], row[3], row[4]))
    history: dict[str, list[StatusChange]] = {}
    for r, s, d, _ in con.execute(
        f"SELECT * FROM read_parquet('{folder}/record_status/*.parquet')"
    ).fetchall():
        history.setdefault(r, []).append(StatusChange(s, d))
    cursor = con.execute(
        f"SELECT * FROM read_parquet('{folder}/rec_court__enforcement_case/*.parquet')"
    )
    names = [d[0] for d in cursor.description or ()]
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        fields = {
            k: v
            for k, v in row.items()
            if k not in ("id", "subject", "category", "agency", "doc_no", "decided_on", "ord")
        }
        changes = tuple(history.get(row["id"], ()))
        base = (row["id"], row["subject"], row["category"], row["agency"], row["doc_no"])
        facts.add_record(Record(*base, row["decided_on"], fields, changes))
    entries, _ = label_facts(book, facts, AS_OF)
    return sum(1 for e in entries if e.list_id == LIST)


def _handwritten(book: Any, folder: Path) -> int:
    import duckdb

    con = duckdb.connect()
    for name in schemas(book):
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder}/{name}/*.parquet')"
        )
    pack = book.packs[PACKS[0]]
    cap = pack.parameters_on(AS_OF)["max_extension_years"]
    sql = (Path(__file__).parent / "dishonest_debtors.sql").read_text()
    sql = sql.replace("$as_of", AS_OF.isoformat()).replace("$max_ext", str(cap))
    counted = con.execute(f"SELECT COUNT(*) FROM ({sql})").fetchone()
    return int(counted[0]) if counted else 0


def child(engine: str, folder: Path) -> dict[str, Any]:
    """A measurement in a fresh process (its own peak memory)."""
    args = [sys.executable, __file__, "--one", engine, "--input", str(folder)]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--parquet-only", type=int, default=0)
    parser.add_argument("--spark", type=int, default=0, help="records for the Spark masters")
    parser.add_argument("--spark-masters", default="local[1],local[2]",
                        help="the Spark masters compared at --spark records")  # fmt: skip
    parser.add_argument("--python-max", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.input)))
        return
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"n{size}"
            generate(folder, size, args.seed)
            order = ["python"] if size <= args.python_max else []
            order += ["compiled", "compiled-entries", "handwritten"] * 2  # A,B,C,A,B,C
            results += [{"records": size, **child(engine, folder)} for engine in order]
        if args.parquet_only:
            folder = Path(tmp) / "parquet-only"
            generate(folder, args.parquet_only, args.seed)
            results.append({"records": args.parquet_only, **child("compiled", folder)})
        if args.spark:
            folder = Path(tmp) / "spark"
            generate(folder, args.spark, args.seed)
            for master in args.spark_masters.split(","):
                results.append({"records": args.spark, **child(f"spark:{master}", folder)})
    for r in results:
        print(f"{r['records']:>12,} records  {r['engine']:<16} {r['seconds']:>9.3f} s  "
              f"{r['entries']:>10,} entries  peak {r['peak_mb']:>6} MB")  # fmt: skip
    out = Path(__file__).parent / "results" / "label-engines.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
