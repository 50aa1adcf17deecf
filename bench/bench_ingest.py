"""Ingest against DuckDB's ``read_csv`` of the same file: rows/s and the store's bytes per record.

    .venv/bin/python bench/bench_ingest.py --rows 100000 --runs 2
    .venv/bin/python bench/bench_ingest.py --rows 20000 --postgres \
        postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The file holds ``--rows`` valid rows of one catalog category (``court.enforcement_case``) in
our CSV layout, drawn by the synthetic nation's own generators (persons with valid resident ID
numbers, their enforcement cases, case numbers), so every row is accepted. The runs alternate
A,B,A,B: A is ``ingest_file`` into a fresh, migrated store (a new SQLite file, or a new schema
on PostgreSQL), B is DuckDB reading the same file: ``read_csv`` counting rows, and ``read_csv``
with the resident ID numbers validated in SQL (length, digits, birth date, GB 11643 check
digit) counting the valid ones. Reported: rows/s of each, the ingest's share of each DuckDB
figure, and the store's bytes per record (SQLite: the file's size / records; PostgreSQL:
``pg_total_relation_size`` of the tables the ingest writes / records), with the 1-minute load
average before and after. Results: ``bench/results/ingest-<store>-<rows>.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import create_engine, text

from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.database import connect, migrate
from socialcredit.synth.cases import CaseDrawer, CaseNumbers
from socialcredit.synth.enforcement import AGENCY, CATEGORY, case_row, person_debtors
from socialcredit.synth.names import Names
from socialcredit.synth.people import Population

START, END = dt.date(2015, 1, 1), dt.date(2024, 12, 31)
STORE_TABLES = (
    "subjects",
    "subject_names",
    "records",
    "record_status",
    "relations",
    "batches",
    "rejections",
    "events",
)

# The resident ID number checked in SQL: 18 characters, 17 digits then a digit or X, a real
# birth date, and the ISO 7064 MOD 11-2 check character of GB 11643-1999.
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHECK_SQL = " + ".join(
    f"{w} * CAST(substr(subject, {i + 1}, 1) AS INTEGER)" for i, w in enumerate(WEIGHTS)
)
VALID_SQL = f"""
SELECT count(*) FROM read_csv(?, header = true, all_varchar = true)
WHERE regexp_full_match(subject, '[0-9]{{17}}[0-9X]')
  AND try_strptime(substr(subject, 7, 8), '%Y%m%d') IS NOT NULL
  AND substr('10X98765432', (({CHECK_SQL}) % 11) + 1, 1) = substr(subject, 18, 1)
"""


def write_rows(path: Path, rows: int, seed: int) -> None:
    """``rows`` valid enforcement cases of persons, in our CSV layout."""
    persons = max(rows, 100)
    while True:
        names = Names(seed)
        population = Population(persons, START, random.Random(seed), names)
        debtors = person_debtors(population, random.Random(seed + 1), START, END)
        drawer, numbers = (
            CaseDrawer(random.Random(seed + 2), END),
            CaseNumbers(random.Random(seed + 3)),
        )
        cases = [case for debtor in debtors for case in drawer.cases_of(debtor)]
        if len(cases) >= rows:
            break
        persons *= 2
    cases = sorted(cases[:rows], key=lambda case: case.decided_on)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = None
        for case in cases:
            row = case_row(
                case, numbers.next(case.debtor.region, case.decided_on.year), "active", None
            )
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


def ingest_once(path: Path, folder: Path, postgres: str | None, run: int) -> dict[str, Any]:
    if postgres:
        return _ingest_postgres(path, postgres)
    db_file = folder / f"store-{run}.db"
    url = f"sqlite:///{db_file}"
    migrate(url)
    engine = connect(url)
    book = load_book()
    begin, cpu = time.perf_counter(), time.process_time()
    report = ingest_file(engine, book, path, AGENCY, CATEGORY)
    seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
    engine.dispose()
    size = db_file.stat().st_size + _wal_size(db_file)
    db_file.unlink()
    return _figures(report, seconds, cpu, size)


def _ingest_postgres(path: Path, url: str) -> dict[str, Any]:
    schema = f"bench_ingest_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as db:
        db.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    try:
        migrate(scoped)
        engine = connect(scoped)
        book = load_book()
        begin, cpu = time.perf_counter(), time.process_time()
        report = ingest_file(engine, book, path, AGENCY, CATEGORY)
        seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
        with engine.connect() as db:
            size = sum(
                db.execute(
                    text("SELECT coalesce(pg_total_relation_size(to_regclass(:t)), 0)"),
                    {"t": f"{schema}.{table}"},
                ).scalar_one()
                for table in STORE_TABLES
            )
        engine.dispose()
    finally:
        with admin.begin() as db:
            db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return _figures(report, seconds, cpu, size)


def _wal_size(db_file: Path) -> int:
    wal = db_file.with_name(db_file.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _figures(report: Any, seconds: float, cpu: float, size: int) -> dict[str, Any]:
    accepted = sum(1 for outcome in report.outcomes if outcome.outcome == "accepted")
    if report.rejected:
        first = report.rejected[0]
        sys.exit(
            f"the bench file should be valid, but row {first.row} was rejected: {first.reasons}"
        )
    return {
        "seconds": seconds,
        "rows": len(report.outcomes),
        "accepted": accepted,
        "rows_per_s": len(report.outcomes) / seconds,
        "cpu_seconds": cpu,  # this process only: not PostgreSQL's server
        "rows_per_cpu_s": len(report.outcomes) / cpu,
        "store_bytes": size,
        "bytes_per_record": size / max(accepted, 1),
    }


def duckdb_once(path: Path, validated: bool) -> dict[str, Any]:
    con = duckdb.connect()
    begin = time.perf_counter()
    if validated:
        result = con.execute(VALID_SQL, [str(path)]).fetchone()
    else:
        result = con.execute(
            "SELECT count(*) FROM read_csv(?, header = true)", [str(path)]
        ).fetchone()
    seconds = time.perf_counter() - begin
    con.close()
    count = int(result[0]) if result else 0
    return {"seconds": seconds, "rows": count, "rows_per_s": count / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="A,B pairs")
    parser.add_argument(
        "--postgres", metavar="URL", help="ingest into PostgreSQL instead of SQLite"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "enforcement.csv"
        write_rows(path, args.rows, args.seed)
        file_bytes = path.stat().st_size
        runs: list[dict[str, Any]] = []
        for run in range(args.runs):
            ingest = ingest_once(path, folder, args.postgres, run)
            read = duckdb_once(path, validated=False)
            checked = duckdb_once(path, validated=True)
            if checked["rows"] != args.rows:
                sys.exit(f"DuckDB found {checked['rows']} valid ID numbers of {args.rows}")
            runs.append({"ingest": ingest, "duckdb_read_csv": read, "duckdb_validated": checked})
            print(
                f"run {run + 1}: ingest {ingest['rows_per_s']:,.0f} rows/s "
                f"({ingest['rows_per_cpu_s']:,.0f} rows per CPU s) "
                f"({ingest['bytes_per_record']:,.0f} B/record) | duckdb read_csv "
                f"{read['rows_per_s']:,.0f} rows/s | validated {checked['rows_per_s']:,.0f} rows/s"
            )
    summary = _summary(runs)
    result = {
        "store": "postgresql" if args.postgres else "sqlite",
        "rows": args.rows,
        "category": CATEGORY,
        "file_bytes": file_bytes,
        "cores": os.cpu_count(),
        "load_1min_before": load_before,
        "load_1min_after": os.getloadavg()[0],
        "runs": runs,
        **summary,
    }
    print(json.dumps({key: value for key, value in result.items() if key != "runs"}, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"ingest-{result['store']}-{args.rows}.json").write_text(
        json.dumps(result, indent=2) + "\n", encoding="utf-8"
    )


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def median(kind: str, key: str) -> float:
        return float(statistics.median(run[kind][key] for run in runs))

    ingest = median("ingest", "rows_per_s")
    return {
        "ingest_rows_per_s": ingest,
        "ingest_rows_per_cpu_s": median("ingest", "rows_per_cpu_s"),
        "duckdb_read_csv_rows_per_s": median("duckdb_read_csv", "rows_per_s"),
        "duckdb_validated_rows_per_s": median("duckdb_validated", "rows_per_s"),
        "share_of_read_csv": ingest / median("duckdb_read_csv", "rows_per_s"),
        "share_of_validated": ingest / median("duckdb_validated", "rows_per_s"),
        "bytes_per_record": median("ingest", "bytes_per_record"),
    }


if __name__ == "__main__":
    main()
