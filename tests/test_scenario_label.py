"""``packs test`` names a pack's scenario by pack and file, any other by its path."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.core.scenarios import scenario_label

ROOT = Path(__file__).resolve().parents[1]


def test_a_packs_scenario_is_named_by_pack_and_file() -> None:
    file = ROOT / "packs/cn-tax-credit/scenarios/02-score-of-89-is-b.yaml"
    assert scenario_label(file) == "cn-tax-credit/02-score-of-89-is-b.yaml"


def test_a_scenario_outside_a_pack_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "checks" / "scenarios" / "one.yaml"  # a 'scenarios' folder, no pack.yaml
    file.parent.mkdir(parents=True)
    file.write_text("name: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert scenario_label(file) == "checks/scenarios/one.yaml"
    monkeypatch.chdir(ROOT)
    assert scenario_label(file) == str(file)
