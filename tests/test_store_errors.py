"""No silent false clearance and no traceback: only `init` and `demo` create a database, an
unknown subject's answer says that nothing is known of him, a bad database URL or a taken
port is one sentence, and an ingest that keeps no row fails (issue 13, items 10 and 11)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialcredit.app import create_app
from socialcredit.cli.main import app as cli
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.setup import StoreUnavailable, open_store
from tests.conftest import RIC
from tests.test_ingest import HEADER, case

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        ["decide", RIC, "buy_flight_ticket"],
        ["report", RIC],
        ["label"],
        ["keys", "list"],
    ],
)
def test_no_command_but_init_creates_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIALCREDIT_DB", raising=False)
    result = runner.invoke(cli, command)
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "there is no socialcredit database at" in said
    assert "run `socialcredit init`" in said
    assert not (tmp_path / "socialcredit.db").exists()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert (tmp_path / "socialcredit.db").is_file()


def test_an_unknown_subject_is_said_to_be_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, book: Rulebook
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("SOCIALCREDIT_DB", url)
    runner.invoke(cli, ["init"])
    decided = json.loads(runner.invoke(cli, ["decide", RIC, "buy_flight_ticket", "--json"]).stdout)
    assert decided["effect"] == "allow" and decided["known"] is False
    assert decided["note"].startswith("nothing is known of this subject")
    shown = runner.invoke(cli, ["decide", RIC, "buy_flight_ticket"]).output
    assert "nothing is known of this subject" in shown
    client = TestClient(create_app(url, book))
    key = create_key(open_store(url), "agency", "court", agency="court", scopes={"actions": ["*"]})
    answered = client.post(
        "/v1/decisions",
        json={"subject": RIC, "action": "buy_flight_ticket"},
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    assert answered["known"] is False and "nothing is known" in answered["note"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "is not a database URL"),
        ("sqlite:////no/such/folder/x.db", "there is no socialcredit database at"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot be opened"),
        ("nosuchdialect://x/y", "cannot be used"),
    ],
)
def test_a_bad_database_url_is_one_sentence(url: str, words: str) -> None:
    result = runner.invoke(cli, ["report", RIC, "--db", url])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # the console wraps long lines
    assert said.startswith("error: ") and words in said
    assert "Traceback" not in said and len(result.output.splitlines()) <= 6
    with pytest.raises(StoreUnavailable):
        open_store(url)


def test_init_in_a_missing_folder_is_one_sentence() -> None:
    result = runner.invoke(cli, ["init", "--db", "sqlite:////no/such/folder/x.db"])
    said = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "cannot be opened" in said and "Traceback" not in said


def test_a_taken_port_is_found_before_the_demo_builds_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(
            cli, ["demo", "--dir", str(tmp_path), "--serve", "--port", str(port)]
        )
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 cannot be used" in " ".join(result.output.split())
    assert not (tmp_path / "feeds").exists()


def test_an_ingest_that_keeps_no_row_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCREDIT_DB", f"sqlite:///{tmp_path / 'x.db'}")
    runner.invoke(cli, ["init"])
    feed = tmp_path / "bad.csv"
    feed.write_text("\n".join([HEADER, case(subject="bad")]) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(feed), "--agency", "court"])
    assert result.exit_code == 1
    assert "every row of bad.csv was rejected" in " ".join(result.output.split())
    good = tmp_path / "good.csv"
    good.write_text("\n".join([HEADER, case(), case(subject="bad", doc="2")]) + "\n")
    assert runner.invoke(cli, ["ingest", str(good), "--agency", "court"]).exit_code == 0
