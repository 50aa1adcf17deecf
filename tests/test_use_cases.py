"""Every interface goes through the same use cases: each checks access first, acts, and
writes one audit entry (DESIGN.md section 4), the command line included."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from socialcredit.app import create_app
from socialcredit.cli.main import app as cli
from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.context import Context
from socialcredit.services.decisions import holder as holder_module
from socialcredit.services.decisions.answer import Question, answer
from socialcredit.services.errors import Refused
from socialcredit.services.models.decisions import DecisionAnswer
from socialcredit.services.models.files import CreditFile
from socialcredit.services.models.records import IngestAnswer
from socialcredit.store.audit_log import entries
from socialcredit.store.database import connect
from tests.conftest import RIC
from tests.test_ingest import HEADER, case

runner = CliRunner()


def audit_rows(url: str) -> list[dict[str, object]]:
    engine = connect(url)
    with engine.connect() as db:
        found = entries(db)
    engine.dispose()
    return found


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SOCIALCREDIT_DB", url)
    assert runner.invoke(cli, ["init"]).exit_code == 0
    return url


def test_cli_ingest_label_decide_and_report_each_add_one_audit_entry(
    tmp_path: Path, db: str
) -> None:
    feed = tmp_path / "court.csv"
    feed.write_text("\n".join([HEADER, case()]) + "\n", encoding="utf-8")
    steps = [
        (["ingest", str(feed), "--agency", "court"], "records.ingest", None),
        (["label", "--as-of", "2018-06-01"], "label", None),
        (["decide", RIC, "buy_flight_ticket", "--as-of", "2018-06-01"], "decide", RIC),
        (["report", RIC, "--as-of", "2018-06-01"], "subject.read", RIC),
    ]
    for command, action, subject in steps:
        before = len(audit_rows(db))
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, result.output
        added = audit_rows(db)[before:]
        assert [(e["action"], e["subject"]) for e in added] == [(action, subject)], command
        assert str(added[0]["actor"]).startswith("admin:cli ")


def test_cli_json_prints_the_apis_models(tmp_path: Path, db: str) -> None:
    feed = tmp_path / "court.csv"
    feed.write_text("\n".join([HEADER, case()]) + "\n", encoding="utf-8")
    ingested = runner.invoke(cli, ["ingest", str(feed), "--agency", "court", "--json"])
    IngestAnswer.model_validate_json(ingested.stdout)
    runner.invoke(cli, ["label", "--as-of", "2018-06-01"])
    decided = runner.invoke(cli, ["decide", RIC, "buy_flight_ticket", "--json"])
    decision = DecisionAnswer.model_validate_json(decided.stdout)
    assert {"subject", "action", "as_of", "effect", "reasons"} <= set(json.loads(decided.stdout))
    assert decision.subject == RIC
    reported = runner.invoke(cli, ["report", RIC, "--as-of", "2018-06-01", "--json"])
    assert CreditFile.model_validate_json(reported.stdout).records[0].disputed is False


def test_a_decision_is_refused_before_anything_is_computed(
    store: Engine, book: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_facts(*_: object) -> None:
        raise AssertionError("the subject's facts were read before the access check")

    monkeypatch.setattr(holder_module, "load_subject", no_facts)  # where answers read facts
    monkeypatch.setattr(holder_module, "load_all", no_facts)
    scoped = Principal("k", "agency", "tax", agency="sta", actions=frozenset({"obtain_bank_loan"}))
    with pytest.raises(Refused) as refused:
        answer(Context(store, book), scoped, Question(RIC, "buy_flight_ticket", dt.date.today()))
    assert refused.value.status == 403
    with store.connect() as db:
        assert entries(db) == []


def test_records_are_submitted_without_a_temporary_file(
    tmp_path: Path, book: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    client = TestClient(create_app(url, book, create=True))
    key = create_key(connect(url), "agency", "court", agency="court", scopes={"categories": ["*"]})

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the body went through a temporary file")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    body = "\n".join([HEADER, case()]) + "\n"
    answered = client.post(
        "/v1/records",
        content=body.encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["accepted"] == 1 and answered.json()["file"] is None
    actions = [e["action"] for e in audit_rows(url)]
    assert actions == ["key.create", "records.submit"]


def test_demo_with_an_impossible_date_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["demo", "--dir", str(tmp_path), "--as-of", "2025-13-01"])
    assert result.exit_code == 2
    assert "'2025-13-01' is not a date written YYYY-MM-DD" in result.output
    assert not (tmp_path / "feeds").exists()  # refused before the nation was built
