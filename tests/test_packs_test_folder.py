"""``socialcredit packs test --packs DIR`` runs the scenarios against the packs in DIR, also
when a scenario names its packs (issue 13 item 9): a broken copy of a pack fails."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from socialcredit.cli.main import app
from tests.conftest import REPO

runner = CliRunner()
LISTING = "values: {2017-05-01: 2}"


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the repository's packs whose judgment-debtor listings last three years."""
    packs = tmp_path / "packs"
    shutil.copytree(REPO / "packs", packs)
    pack = packs / "cn-judgment-defaulters" / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    assert LISTING in text
    pack.write_text(text.replace(LISTING, "values: {2017-05-01: 3}", 1), encoding="utf-8")
    return packs


def test_packs_test_uses_the_packs_folder_it_is_given(tmp_path: Path) -> None:
    packs = broken_copy(tmp_path)
    scenario = packs / "cn-judgment-defaulters" / "scenarios" / "01-evades-listed-two-years.yaml"
    result = runner.invoke(app, ["packs", "test", "--packs", str(packs), str(scenario)])
    assert result.exit_code == 1, result.stdout
    assert "FAIL" in result.stdout and "2020-01-10" in result.stdout


def test_packs_test_of_a_whole_broken_folder_fails(tmp_path: Path) -> None:
    packs = broken_copy(tmp_path)
    result = runner.invoke(app, ["packs", "test", "--packs", str(packs), "--json"])
    assert result.exit_code == 1
    assert '"passed": false' in result.stdout


def test_packs_test_of_an_intact_copy_passes(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(REPO / "packs", packs)
    folder = packs / "cn-judgment-defaulters"
    result = runner.invoke(app, ["packs", "test", "--packs", str(packs), str(folder)])
    assert result.exit_code == 0, result.stdout
