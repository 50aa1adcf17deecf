"""Benchmark of the policy simulator: wall time of one run (default one simulated year of
100,000 persons and 20,000 organisations under the default packs), with the work it did
(engine evaluations, records, subjects). Prints the figures and writes them as JSON into
bench/results/.

    python bench/bench_sim.py                                   # 100k persons, 20k orgs, 1 year
    python bench/bench_sim.py --intensity 10                    # ten times the case rates
    python bench/bench_sim.py --calibrate --persons 200000 --orgs 40000

Timings are wall-clock on whatever machine runs this; tests never assert them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from socialcredit.sim.calibrate import calibrate, calibration_table
from socialcredit.sim.figures import load_figures
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import SimConfig, run_simulation
from socialcredit.sim.summary import variant_summary

RESULTS = Path(__file__).resolve().parent / "results"


def _config(args: argparse.Namespace) -> SimConfig:
    start = dt.date.fromisoformat(args.start)
    end = start + dt.timedelta(days=round(args.years * 365.25) - 1)
    rates = load_rates()
    rates = rates.with_values({"case_intensity": rates.case_intensity * args.intensity})
    return SimConfig(args.persons, args.orgs, start, end, args.seed, rates)


def bench_run(args: argparse.Namespace) -> dict[str, Any]:
    config = _config(args)
    began = time.perf_counter()
    (result,) = run_simulation(config)
    seconds = time.perf_counter() - began
    summary = variant_summary(result)
    return {
        "what": "simulate",
        "persons": args.persons,
        "orgs": args.orgs,
        "years": args.years,
        "start": args.start,
        "case_intensity_factor": args.intensity,
        "wall_seconds": round(seconds, 2),
        "days": config.days,
        "ms_per_day": round(1000 * seconds / config.days, 2),
        "engine_evaluations": result.evaluations,
        "records": result.records,
        "subjects_in_facts": result.subjects,
        "entries_in": sum(summary["entries_in"].values()),
        "flight_attempts": summary["purchases"]["flight_attempts"],
    }


def bench_calibration(args: argparse.Namespace) -> dict[str, Any]:
    config = _config(args)
    began = time.perf_counter()
    calibration = calibrate(config, load_figures())
    seconds = time.perf_counter() - began
    return {
        "what": "calibrate",
        "persons": args.persons,
        "orgs": args.orgs,
        "wall_seconds": round(seconds, 2),
        "fitting_runs": len(calibration.trail),
        "table": calibration_table(calibration),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--start", default="2018-01-01")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--intensity", type=float, default=1.0, help="multiply the case rates")
    parser.add_argument("--calibrate", action="store_true", help="time --calibrate instead")
    args = parser.parse_args()
    figures = bench_calibration(args) if args.calibrate else bench_run(args)
    figures["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    name = (
        f"sim-{figures['what']}-{args.persons}-{args.orgs}-{args.years:g}y-x{args.intensity:g}.json"
    )
    (RESULTS / name).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
