"""``socialcredit simulate``: a synthetic nation lived day by day through the real engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from socialcredit.cli.common import (
    JsonOption,
    PacksOption,
    console,
    domain_errors,
    errors,
    parse_date,
    print_json,
    progress_bar,
)
from socialcredit.sim.calibrate import FITS, calibrate, calibration_markdown, calibration_table
from socialcredit.sim.figures import load_figures
from socialcredit.sim.output import write_run
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import DEFAULT_PACKS, SimConfig, run_simulation
from socialcredit.sim.whatif import Variant, parse_variant
from socialcredit.synth.dates import add_years

WHAT_IF_HELP = (
    "A variant beside the baseline, NAME=SETTING[,SETTING...]; a setting is "
    "PACK.PARAMETER=VALUE, version.LIST=DATE or sim.RATE=VALUE. Repeatable. "
    "E.g. no-exemption=sim.list_legal_representatives=1 or "
    "repair-2023=version.publicised-administrative-penalties=2023-05-01"
)


PacksArgument = typer.Argument(None, help=f"Pack ids (default: {', '.join(DEFAULT_PACKS)})")
PersonsOption = typer.Option(100_000, "--persons", min=100, help="Natural persons in the nation")
OrgsOption = typer.Option(20_000, "--orgs", min=10, help="Organisations in the nation")
YearsOption = typer.Option(1.0, "--years", min=0.01, help="Years to simulate")
StartOption = typer.Option("2018-01-01", "--start", help="First reported day (YYYY-MM-DD)")
WarmUpOption = typer.Option(
    0.0, "--warm-up", min=0.0, help="Years lived before --start and not reported (fills the lists)"
)
SeedOption = typer.Option(7, "--seed", help="Random seed: the same seed gives the same CSV")
OutOption = typer.Option(Path("sim-out"), "--out", help="Folder for the CSV, charts and summary")
WhatIfOption = typer.Option(None, "--what-if", help=WHAT_IF_HELP)
ErrorRateOption = typer.Option(
    None,
    "--record-error-rate",
    min=0.0,
    max=1.0,
    help="Share of records naming a wrong subject",
)
CalibrateOption = typer.Option(
    False,
    "--calibrate",
    help="Fit rates on some national figures, report the error on the others "
    "(simulates 2013-10-01 to 2024-12-31; --start, --years and --what-if do not apply)",
)


def simulate(
    packs: list[str] = PacksArgument,
    persons: int = PersonsOption,
    orgs: int = OrgsOption,
    years: float = YearsOption,
    start: str = StartOption,
    warm_up: float = WarmUpOption,
    seed: int = SeedOption,
    out: Path = OutOption,
    what_if: list[str] = WhatIfOption,
    error_rate: float = ErrorRateOption,
    do_calibrate: bool = CalibrateOption,
    packs_root: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """Simulate a nation under rule packs: conduct, listings, measures, blocked purchases.

    Writes timeseries.csv (one row per variant and day), summary.md, summary.json and PNG
    charts into --out. With --calibrate, writes calibration.md and calibration.json instead.
    """
    config = _config(packs, persons, orgs, years, start, seed, what_if, error_rate, packs_root)
    config = dataclasses.replace(config, warm_up_days=round(warm_up * 365.25))
    with output_errors(out):
        out.mkdir(parents=True, exist_ok=True)  # fail before a long run, not after it
    with domain_errors(), output_errors(out):
        if do_calibrate:
            _calibrate(config, out, as_json)
        else:
            _simulate(config, out, as_json)


def _variants(what_if: list[str] | None) -> tuple[Variant, ...]:
    try:
        variants = tuple(parse_variant(spec) for spec in what_if or [])
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--what-if") from None
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise typer.BadParameter("each --what-if needs its own name", param_hint="--what-if")
    return variants


@contextmanager
def output_errors(out: Path) -> Iterator[None]:
    """An output folder that cannot be made or written: one line, exit 1."""
    try:
        yield
    except OSError as error:
        errors.print(
            f"[bold red]error:[/] cannot write to {out}: {error}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(1) from None


def _config(
    packs: list[str] | None,
    persons: int,
    orgs: int,
    years: float,
    start: str,
    seed: int,
    what_if: list[str] | None,
    error_rate: float | None,
    packs_root: Path | None,
) -> SimConfig:
    first = parse_date(start, "--start")
    variants = _variants(what_if)
    rates = load_rates()
    if error_rate is not None:
        rates = rates.with_values({"record_error_rate": error_rate})
    try:
        for variant in variants:
            rates.with_values(variant.rates)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--what-if") from None
    whole = int(years)
    extra = dt.timedelta(days=round((years - whole) * 365.25))
    end = max(first, add_years(first, whole) + extra - dt.timedelta(days=1))
    return SimConfig(
        persons,
        orgs,
        first,
        end,
        seed,
        rates,
        tuple(packs) if packs else DEFAULT_PACKS,
        variants,
        packs_root.resolve() if packs_root else None,
    )


def _simulate(config: SimConfig, out: Path, as_json: bool) -> None:
    with progress_bar() as bar:
        tasks = {
            v.name: bar.add_task(f"simulating {v.name}", total=config.days)
            for v in config.all_variants()
        }
        results = run_simulation(config, lambda name, days: bar.advance(tasks[name], days))
    summary = write_run(out, config, results)
    if as_json:
        print_json(summary)
        return
    table = Table(
        "variant",
        "entries in",
        "entries out",
        "flights blocked",
        "rail blocked",
        "collateral (peak)",
        "seconds",
    )
    for v in summary["variants"]:
        table.add_row(
            v["variant"],
            f"{sum(v['entries_in'].values()):,}",
            f"{sum(v['entries_out'].values()):,}",
            f"{v['purchases']['flights_blocked']:,}",
            f"{v['purchases']['rail_blocked']:,}",
            f"{v['peak_collateral_persons']:,}",
            f"{v['seconds']}",
        )
    console.print(table)
    console.print(
        f"wrote {out}/timeseries.csv, summary.md, summary.json and {len(summary['charts'])} charts"
    )


def _calibrate(config: SimConfig, out: Path, as_json: bool) -> None:
    figures = load_figures()
    with progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def step(label: str, days: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(f"calibration: {label}", total=None)
            bar.advance(tasks[label], days)

        calibration = calibrate(dataclasses.replace(config, variants=()), figures, step)
    out.mkdir(parents=True, exist_ok=True)
    report = calibration_markdown(calibration, config)
    (out / "calibration.md").write_text(report, encoding="utf-8")
    data = {
        "fitted_rates": {k: getattr(calibration.rates, k) for k in FITS},
        "trail": calibration.trail,
        "table": calibration_table(calibration),
        "scale": calibration.scale,
    }
    (out / "calibration.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if as_json:
        print_json(data)
    else:
        console.print(report, markup=False, highlight=False, soft_wrap=True)
