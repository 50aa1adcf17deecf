"""All packs over a generated nation of N records, as Parquet: the generator's time, then
``label_parquet`` on DuckDB (or Spark) in a child process, with its wall time, records per
second, peak memory (the child's max RSS) and what it found. Issue 11's targets: all packs
over 100 million records in under 5 minutes, and the peak for 10 million.

    python bench/bench_scale.py --records 1000000 --folder /tmp/nation1m
    python bench/bench_scale.py --records 10000000 --folder /tmp/nation10m
    python bench/bench_scale.py --records 10000000 --folder /tmp/nation10m \\
        --engine spark --master 'local[2]'

The nation (``nation_sql``, proportions in ``nation_shape``) is written once per folder and
reused while its marker file (``nation.json``) names the same records, seed and generator
(a digest of the ``nation_*`` modules and the DuckDB version). Figures go
to stdout and to ``bench/results/scale-<records>-<engine>.json``. Timings are wall-clock on
whatever machine runs this, with its load average; no test asserts them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import nation_shape as shape
from nation_sql import Sizes, write_nation
from stdnum.cn import ric, uscc

from socialcredit.services.packs.rulebook import load_book

MARKER = "nation.json"
RESULTS = Path(__file__).parent / "results"


def _loadavg() -> float:
    return os.getloadavg()[0]


def _generator_version() -> str:
    """A digest of the generator's source: a nation written by other code is not reused."""
    here = Path(__file__).parent
    source = b"".join(path.read_bytes() for path in sorted(here.glob("nation_*.py")))
    return hashlib.sha256(source + duckdb.__version__.encode()).hexdigest()[:16]


def generate(folder: Path, records: int, seed: int) -> dict[str, Any]:
    """The nation under ``folder``: reused when its marker names the same records, seed and
    generator, else written anew."""
    marker, version = folder / MARKER, _generator_version()
    if marker.exists():
        known = json.loads(marker.read_text())
        if (known["records"], known["seed"], known.get("version")) == (records, seed, version):
            return {**known, "reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start, load = time.perf_counter(), _loadavg()
    written = write_nation(folder, load_book(), Sizes(records), seed)
    seconds = time.perf_counter() - start
    sizes = Sizes(records)
    made = {"records": records, "seed": seed, "version": version}
    made.update(persons=sizes.persons, orgs=sizes.orgs)
    made.update(seconds=round(seconds, 1), load_before=load, load_after=_loadavg())
    made.update(rows=written, checked_ids=check_identifiers(folder))
    marker.write_text(json.dumps(made, indent=2) + "\n")
    return {**made, "reused": False}


def check_identifiers(folder: Path, sample: int = 2000) -> int:
    """Validate a sample of the subjects' codes with python-stdnum; return how many."""
    files = folder / "subjects" / "*.parquet"
    query = f"SELECT id, kind FROM read_parquet('{files}') USING SAMPLE {sample} ROWS"
    rows = duckdb.sql(query).fetchall()
    for code, kind in rows:
        (ric if kind == "person" else uscc).validate(code)
    return len(rows)


def _count(found: Any) -> int:
    """Rows of a result, whether a list of objects or an Arrow table (``num_rows``)."""
    return int(found.num_rows) if hasattr(found, "num_rows") else len(found)


def measure(folder: Path, engine: str, master: str | None) -> dict[str, Any]:
    """One label run, in this (child) process."""
    from socialcredit.batch.runner import label_parquet

    book = load_book()
    start = time.perf_counter()
    found = label_parquet(folder, book, shape.AS_OF, engine, master)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "entries": _count(found.entries),
        "ratings": _count(found.ratings),
        "records_read": getattr(found, "records", None),
        "subjects_labelled": getattr(found, "subjects", None),
    }


def child(folder: Path, engine: str, master: str | None) -> dict[str, Any]:
    """A label run in a fresh process; its peak memory is the max RSS of its processes."""
    args = [sys.executable, __file__, "--one", "--folder", str(folder), "--engine", engine]
    args += ["--master", master] if master else []
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the label run failed ({done.returncode}):\n{done.stderr[-4000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "peak_rss_mb": round(peak)}


def disk(folder: Path) -> dict[str, str]:
    """``du -sh`` of the nation and ``df -h`` of its file system."""
    du = subprocess.run(["du", "-sh", str(folder)], capture_output=True, text=True, check=True)
    df = subprocess.run(["df", "-h", str(folder)], capture_output=True, text=True, check=True)
    return {"du": du.stdout.split()[0], "df": df.stdout.strip().splitlines()[-1]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    nation = generate(args.folder, args.records, args.seed)
    load_before = _loadavg()
    label = child(args.folder, args.engine, args.master)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": args.engine if not args.master else f"{args.engine}:{args.master}",
        "records": args.records,
        "cpus": os.cpu_count(),
        "generator": nation,
        "label": label,
        "records_per_second": round(args.records / label["seconds"]) if label["seconds"] else None,
        "load_before": load_before,
        "load_after": _loadavg(),
        "disk": disk(args.folder),
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"scale-{args.records}-{result['engine'].replace(':', '-')}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--master", help="Spark's master, e.g. local[2]")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.folder, args.engine, args.master)))
        return
    result = run(args)
    nation, label = result["generator"], result["label"]
    reused = " (reused)" if nation["reused"] else ""
    print(f"nation: {args.records:,} records, {nation['persons']:,} persons, "
          f"{nation['orgs']:,} organisations; generated in {nation['seconds']} s{reused}, "
          f"{result['disk']['du']} on disk; df: {result['disk']['df']}")  # fmt: skip
    print(f"{result['engine']}: {label['seconds']} s, {result['records_per_second']:,} "
          f"records/s, peak RSS {label['peak_rss_mb']} MB, {label['entries']:,} entries, "
          f"{label['ratings']:,} ratings; load {result['load_before']:.2f} -> "
          f"{result['load_after']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
