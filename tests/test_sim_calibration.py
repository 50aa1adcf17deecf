"""Calibration: the figures file follows scs-facts.md section 12, the fit reads only the
figures marked fit, and the held-out figures are compared, never tuned on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from socialcredit.sim.calibrate import FITS, calibrate, calibration_markdown, calibration_table
from socialcredit.sim.figures import Figures, load_figures
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import SimConfig

FACTS = Path("/work/shared/reference/scs-facts.md")


def test_figures_file_names_source_confidence_and_use() -> None:
    figures = load_figures()
    assert figures.population > 1e9
    for figure in figures.items:
        assert figure.source and figure.confidence and figure.wording
    assert {f.id for f in figures.fitted()} == set(FITS.values())
    values = {f.id: f.value for f in figures.items}
    assert values["list-end-2017"] == 9_590_000
    assert values["list-end-2018"] == 13_000_000
    assert values["list-jul-2019"] == 14_500_000
    assert values["inflow-2024"] == 2_457_000
    assert values["restored-2024"] == 2_821_000
    assert values["tax-a-2018"] == pytest.approx(0.0489)
    assert values["tax-d-2018"] == pytest.approx(0.0701)


@pytest.mark.skipif(not FACTS.exists(), reason="the shared reference folder is not here")
def test_every_figure_is_written_in_section_12_of_the_facts() -> None:
    section = FACTS.read_text(encoding="utf-8").split("## 12.")[1].split("## 13.")[0]
    for figure in load_figures().items:
        if figure.value >= 1:
            shown = f"{figure.value / 1e6:.3f}".rstrip("0").rstrip(".")
            assert f"{shown} M" in section or f"{shown}M" in section, figure.id
        else:
            assert f"{figure.value * 100:.2f}%" in section, figure.id


def _held_out_times_ten(figures: Figures) -> Figures:
    items = tuple(
        dataclasses.replace(f, value=f.value * 10) if f.held_out else f for f in figures.items
    )
    return Figures(figures.population, items)


def test_held_out_figures_do_not_move_the_fit() -> None:
    config = SimConfig(4_000, 800, dt.date(2018, 1, 1), dt.date(2018, 12, 31), 3, load_rates())
    figures = load_figures()
    first = calibrate(config, figures)
    second = calibrate(config, _held_out_times_ten(figures))
    assert first.rates == second.rates
    rows = {r["figure"]: r for r in calibration_table(first)}
    other = {r["figure"]: r for r in calibration_table(second)}
    for figure_id in FITS.values():
        assert rows[figure_id]["relative_error"] == other[figure_id]["relative_error"]
    moved = [f for f in rows if rows[f]["use"] == "held_out" and rows[f]["simulated"] is not None]
    assert moved
    for figure_id in moved:
        assert rows[figure_id]["simulated"] == other[figure_id]["simulated"]
        assert rows[figure_id]["relative_error"] != other[figure_id]["relative_error"]
    # the fit moved the rates from their defaults, and the report says what is held out
    assert first.rates.case_intensity != config.rates.case_intensity
    report = calibration_markdown(first, config)
    assert "held_out" in report and "not simulated" in report
