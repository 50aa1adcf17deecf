"""A driver for ``spark-submit``: label Parquet input (see ``inputs.parquet_sink``) on Spark
and print what was found as JSON. The master comes from ``spark-submit --master``.

    spark-submit --master spark://host:7077 path/to/socialcredit/batch/submit.py \\
      --packs packs --input /shared/nation --as-of 2025-12-31
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

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
    active = found.entries.filter(pc.field("active"))["list_id"].value_counts().to_pylist()
    grades = found.ratings.group_by(["rating_id", "grade"]).aggregate([([], "count_all")])
    summary: dict[str, Any] = {"as_of": args.as_of.isoformat(), "records": found.records}
    summary |= {"entries": found.entries.num_rows}
    summary["active"] = {count["values"]: count["counts"] for count in active}
    summary["grades"] = {
        f"{row['rating_id']}:{row['grade']}": row["count_all"] for row in grades.to_pylist()
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
