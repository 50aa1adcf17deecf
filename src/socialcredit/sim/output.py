"""Writing a run: ``timeseries.csv`` (one row per variant and day), ``summary.json``,
``summary.md`` and the charts. The CSV depends only on the configuration and the seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from socialcredit.io.csv_out import write_csv
from socialcredit.sim.charts import write_charts
from socialcredit.sim.run import SimConfig, VariantResult
from socialcredit.sim.summary import run_summary, summary_markdown

TIMESERIES = "timeseries.csv"


def write_timeseries(path: Path, results: list[VariantResult]) -> None:
    """Every variant's daily rows, the variant's name first (a file for people: byte-order
    mark, formula-like text neutralised)."""
    columns = ["variant", *results[0].columns]
    rows = (
        [result.variant.name, *(row.get(c) for c in columns[1:])]
        for result in results
        for row in result.rows
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, columns, rows, line_end="\n")


def write_run(out: Path, config: SimConfig, results: list[VariantResult]) -> dict[str, Any]:
    """Write every output of the run into ``out`` and return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    write_timeseries(out / TIMESERIES, results)
    summary = run_summary(config, results)
    summary["charts"] = [p.name for p in write_charts(out, results)]
    text = json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n"
    (out / "summary.json").write_text(text, encoding="utf-8")
    (out / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")
    return summary
