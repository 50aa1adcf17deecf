"""The command line, run in-process through Typer's runner against real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.cli.main import app
from socialcredit.core.pack.schema import pack_json_schema
from tests.conftest import REPO, RIC, USCC
from tests.test_ingest import HEADER, case

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SOCIALCREDIT_DB", url)
    assert runner.invoke(app, ["init"]).exit_code == 0  # only init (and demo) create a store
    return url


def test_validate_id_lines_and_exit_code() -> None:
    result = runner.invoke(app, ["validate-id", RIC, USCC, "91350100M000100Y44"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == [RIC, "valid", "person"]
    assert lines[1].split() == [USCC, "valid", "organisation"]
    assert "invalid: check character should be 3, not 4" in lines[2]


def test_validate_id_json_all_valid() -> None:
    result = runner.invoke(app, ["validate-id", "--json", RIC.lower()])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"code": RIC.lower(), "valid": True, "kind": "person", "normalised": RIC}
    ]


def test_ingest_label_decide_report(tmp_path: Path, db: str) -> None:
    feed = tmp_path / "court.csv"
    feed.write_text(
        "\n".join([HEADER, case(), case(subject="bad", doc="2")]) + "\n", encoding="utf-8"
    )
    ingested = runner.invoke(app, ["ingest", str(feed), "--agency", "court", "--json"])
    assert ingested.exit_code == 0, ingested.output
    report = json.loads(ingested.stdout)
    assert (report["accepted"], report["rejected"]) == (1, 1)
    assert "not a valid identity number" in report["rejections"][0]["reasons"][0]
    labelled = runner.invoke(app, ["label", "--as-of", "2018-06-01", "--json"])
    assert json.loads(labelled.stdout)["active_entries"] == {"dishonest-judgment-debtors": 1}
    decided = runner.invoke(
        app, ["decide", RIC, "buy_flight_ticket", "--as-of", "2018-06-01", "--json"]
    )
    decision = json.loads(decided.stdout)
    assert decision["effect"] == "deny" and decision["until"] == "2020-01-10"
    [flights] = [r for r in decision["reasons"] if r["measure"] == "no-flights"]  # listed once
    chain = next(
        s for s in flights["sources"] if s["legal_basis"]["source"] == "spc-2015-consumption"
    )
    assert flights["determining"] and chain["legal_basis"]["provision"] == "art. 3(1)"
    assert chain["trigger"]["records"][0]["doc_no"] == "(2018)京01执1号"
    assert len(flights["sources"]) >= 2  # the SPC's rules and the joint-sanctions memorandum
    people = runner.invoke(app, ["decide", RIC, "buy_flight_ticket", "--as-of", "2018-06-01"])
    assert "DENY" in people.stdout and "legal basis" in people.stdout
    credit_file = json.loads(
        runner.invoke(app, ["report", RIC, "--as-of", "2018-06-01", "--json"]).stdout
    )
    assert credit_file["entries"][0]["active"] is True


def test_decide_explains_bad_input(db: str) -> None:
    unknown = runner.invoke(app, ["decide", RIC, "fly_to_the_moon"])
    assert unknown.exit_code == 1 and "unknown action 'fly_to_the_moon'" in unknown.stderr
    invalid = runner.invoke(app, ["decide", "12345", "buy_flight_ticket"])
    assert invalid.exit_code == 1 and "wrong length" in invalid.stderr
    bad_date = runner.invoke(app, ["decide", RIC, "buy_flight_ticket", "--as-of", "2018-02-30"])
    assert bad_date.exit_code == 2


def test_ingest_of_a_missing_file_is_a_clear_error(tmp_path: Path, db: str) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.csv"), "--agency", "court"])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_packs_check_and_test() -> None:
    checked = runner.invoke(app, ["packs", "check"])
    assert checked.exit_code == 0 and "ok cn-judgment-defaulters" in checked.stdout
    tested = runner.invoke(app, ["packs", "test", "--json"])
    assert tested.exit_code == 0
    assert len(json.loads(tested.stdout)) >= 15


def test_packs_test_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    scenario = REPO / "packs/cn-judgment-defaulters/scenarios/01-evades-listed-two-years.yaml"
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(scenario.read_text().replace("effect: deny", "effect: reward", 1))
    result = runner.invoke(app, ["packs", "test", str(wrong)])
    assert result.exit_code == 1 and "expected reward, got deny" in result.stdout


def test_published_json_schema_is_current() -> None:
    published = json.loads((REPO / "docs/pack.schema.json").read_text())
    assert published == pack_json_schema(), "run: socialcredit packs schema > docs/pack.schema.json"
