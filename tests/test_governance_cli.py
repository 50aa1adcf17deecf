"""The governing packs on the command line, against the real packs and a real SQLite store:
`packs check` prints what they find, `label` refuses outside the catalogue while one is
loaded (`--with-pack`), runs anyway with `--outside-catalogue`, and does not load them by
default (they are opt-in)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from socialcredit.cli.main import app
from socialcredit.store.tables import audit_log

runner = CliRunner()
NATIONAL = "national-catalogue-and-penalty-list"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SOCIALCREDIT_DB", url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return url


def label(*options: str) -> tuple[int, str]:
    result = runner.invoke(app, ["label", "--engine", "python", *options])
    return result.exit_code, result.output


def test_packs_check_prints_the_findings_as_of_a_date() -> None:
    folders = ["packs/severe-list-governance", "packs/cn-tax-credit"]
    result = runner.invoke(app, ["packs", "check", *folders, "--as-of", "2022-02-01"])
    assert result.exit_code == 0, result.output
    assert "severe_list_basis cn-tax-credit" in result.output
    assert "major-tax-violation-entities" in result.output
    before = runner.invoke(app, ["packs", "check", *folders, "--as-of", "2022-01-31"])
    assert "severe_list" not in before.output


def test_label_refuses_outside_the_catalogue_only_with_the_governing_pack(db: str) -> None:
    code, output = label("--as-of", "2025-12-31", "--with-pack", NATIONAL)
    assert code == 1 and "refused" in output and "rongcheng.finding" in " ".join(output.split())
    assert label("--as-of", "2025-12-31")[0] == 0  # opt-in: not loaded by default
    assert label("--as-of", "2021-12-15", "--with-pack", NATIONAL)[0] == 0  # no edition yet


def test_label_runs_anyway_and_the_run_records_it(db: str) -> None:
    code, output = label("--as-of", "2025-12-31", "--with-pack", NATIONAL, "--outside-catalogue")
    assert code == 0, output
    with create_engine(db).connect() as connection:
        results = connection.execute(select(audit_log.c.result)).scalars().all()
    assert any("run anyway with 70 categories or measures" in (r or "") for r in results)
