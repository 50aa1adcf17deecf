"""A driver for ``spark-submit``: label Parquet input (see ``inputs.parquet_sink``) on Spark
and print what was found as JSON. The master comes from ``spark-submit --master``.

    spark-submit --master spark://host:7077 path/to/socialcredit/batch/submit.py \\
      --packs packs --input /shared/nation --as-of 2025-12-31
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from socialcredit.batch.runner import label_parquet
from socialcredit.core.pack.load import find_packs, load_rulebook


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Label Parquet input on Spark.")
    parser.add_argument("--packs", type=Path, default=Path("packs"))
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--master", default=None, help="default: spark-submit's, or local[*]")
    args = parser.parse_args(argv)
    book = load_rulebook(find_packs(args.packs))
    found = label_parquet(args.input, book, args.as_of, "spark", args.master)
    active = Counter(e.list_id for e in found.entries if e.active_on(args.as_of))
    grades = Counter(f"{r.rating_id}:{r.grade}" for r in found.ratings)
    summary = {"as_of": args.as_of.isoformat(), "records": found.records}
    summary |= {"entries": len(found.entries), "active": active, "grades": grades}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
