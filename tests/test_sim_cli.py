"""``socialcredit simulate`` end to end: outputs, determinism by seed (byte-identical CSV,
whatever the interpreter's hash seed), JSON and usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from socialcredit.cli.main import app

SMALL = ["--persons", "3000", "--orgs", "600", "--years", "0.5", "--start", "2019-01-01"]
WHAT_IF = ["--what-if", "no-exemption=sim.list_legal_representatives=1"]


def _simulate_in_subprocess(out: Path, seed: str, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "socialcredit.cli.main", "simulate", *SMALL, *WHAT_IF]
    command += ["--seed", seed, "--out", str(out), "--record-error-rate", "0.05"]
    subprocess.run(command, check=True, env=env, capture_output=True)
    return (out / "timeseries.csv").read_bytes()


def test_same_seed_gives_byte_identical_csv(tmp_path: Path) -> None:
    first = _simulate_in_subprocess(tmp_path / "a", "5", "1")
    second = _simulate_in_subprocess(tmp_path / "b", "5", "2")
    other = _simulate_in_subprocess(tmp_path / "c", "6", "1")
    assert first == second
    assert first != other
    assert len(first.splitlines()) == 1 + 2 * 183  # header, two variants of 183 days


def test_outputs_and_json_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["simulate", *SMALL, *WHAT_IF, "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert [v["variant"] for v in summary["variants"]] == ["baseline", "no-exemption"]
    roles = {"legal_representative", "principal", "actual_controller"}
    for variant in summary["variants"]:
        assert variant["conservation_holds"]
        assert variant["listed_at_end"] == variant["listed_at_end_recounted"]
        assert variant["listed_at_start"] == dict.fromkeys(variant["listed_at_end"], 0)
        assert variant["entries_in"]["dishonest-judgment-debtors"] > 0
        reached = variant["collateral_persons_at_end_by_role"]
        assert reached and set(reached) <= roles
        assert max(reached.values()) <= variant["peak_collateral_persons"]
    for name in ("timeseries.csv", "summary.md", "summary.json", *summary["charts"]):
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "list_sizes.png").read_bytes()[:4] == b"\x89PNG"
    text = (tmp_path / "summary.md").read_text()
    for row in ("listed at start", "entries in", "entries out", "listed at end"):
        assert f"| {row}, dishonest-judgment-debtors |" in text
    assert "| start + in - out = end, recounted from the standings | holds | holds |" in text


def test_warm_up_summary_shows_the_opening_stock_of_every_list(tmp_path: Path) -> None:
    """After a warm-up the lists open full; a list with no new entry in the period but
    entries leaving it is still shown, and its figures add up."""
    args = ["--persons", "2000", "--orgs", "400", "--years", "0.5", "--warm-up", "1"]
    result = CliRunner().invoke(app, ["simulate", *args, "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (variant,) = json.loads((tmp_path / "summary.json").read_text())["variants"]
    opening = variant["listed_at_start"]
    assert opening["abnormal-operations"] > 0 and variant["entries_in"]["abnormal-operations"] == 0
    for list_id, end in variant["listed_at_end"].items():
        flows = variant["entries_in"][list_id] - variant["entries_out"][list_id]
        assert opening[list_id] + flows == end, list_id
    text = (tmp_path / "summary.md").read_text()
    assert f"| listed at start, abnormal-operations | {opening['abnormal-operations']} |" in text
    assert "| start + in - out = end, recounted from the standings | holds |" in text


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    for extra in (
        ["--what-if", "broken"],
        ["--what-if", "a=sim.no_such_rate=1"],
        ["--what-if", "a=sim.flight_attempt_rate=1", "--what-if", "a=sim.rail_attempt_rate=1"],
        ["--start", "2019-13-01"],
    ):
        result = runner.invoke(app, ["simulate", *SMALL, "--out", str(tmp_path), *extra])
        assert result.exit_code == 2, (extra, result.output)


def test_unknown_pack_is_a_domain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", "no-such-pack", *SMALL, "--out", str(tmp_path)])
    assert result.exit_code == 1


def test_an_output_folder_under_a_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "run"
    result = CliRunner().invoke(app, ["simulate", *SMALL, "--out", str(out)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"error: cannot write to {out}:")
    assert len(result.stderr.strip().splitlines()) == 1
