"""Bulk screening on known answers: one listed person (RIC, 张三, Beijing Chaoyang) and one
listed company (USCC, Fujian), screened by identifier, by name and region, by name alone;
namesakes elsewhere, valid identifiers not listed and invalid ones; outputs in three formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.errors import UnknownAction
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.screening.match import Counterparty
from socialcredit.core.screening.names import normal_name, similarity
from socialcredit.core.screening.regions import region_agrees
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.screening.files import (
    COLUMNS,
    as_json,
    csv_bytes,
    read_counterparties,
    xlsx_bytes,
)
from socialcredit.services.screening.screen import ScreeningRefused, screen
from socialcredit.store.audit_log import entries as audit_entries
from tests.conftest import RIC, USCC
from tests.test_ingest import case, write

ADMIN = Principal(key_id="t", role="admin", name="test")
PUBLIC = Principal(key_id="p", role="public", name="portal")
COMPANY = "福州某某科技有限公司"
OTHER_RIC = "110105198001010016"  # valid, never listed


@pytest.fixture
def listed(tmp_path: Path, store: Engine, book: Rulebook) -> Engine:
    """RIC and USCC each with an enforcement case (evades), labelled as of 2019-06-01."""
    company = case(subject=USCC, doc="2", decided="2019-03-01").replace(",张三,", f",{COMPANY},")
    path = write(tmp_path, "court.csv", case(doc="1"), company)
    assert ingest_file(store, book, path, "court").count("accepted") == 2
    label(store, book, dt.date(2019, 6, 1))
    return store


def run(
    engine: Engine,
    book: Rulebook,
    *parties: Counterparty,
    caller: Principal = ADMIN,
    action: str | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    return as_json(screen(engine, book, caller, list(parties), action, None, purpose))


def party(
    row: int, name: str | None, identifier: str | None = None, region: str | None = None
) -> Counterparty:
    return Counterparty(row, name, identifier, region, "supplier")


def test_known_answers(listed: Engine, book: Rulebook) -> None:
    result = run(
        listed, book,
        party(1, "张三", RIC),  # identifier: listed
        party(2, "张三", None, "北京市朝阳区"),  # name and region agree
        party(3, "张三", None, "上海"),  # a namesake elsewhere: no match
        party(4, "张三"),  # name only: for review
        party(5, "张三", OTHER_RIC),  # another person of the same name: no match
        party(6, "张三", "110105194912310021", "朝阳区"),  # invalid id: by name
        party(7, "福州某某科技有限责任公司", None, "福建"),  # another legal form
        party(8, "张山", None, "北京"),  # a different name
        party(9, None),
        action="buy_flight_ticket",
    )  # fmt: skip
    rows = {r["row"]: r for r in result["results"]}
    statuses = {n: r["status"] for n, r in rows.items()}
    assert statuses == {
        1: "listed", 2: "possible_match", 3: "no_match", 4: "possible_match", 5: "no_match",
        6: "possible_match", 7: "possible_match", 8: "no_match", 9: "unreadable",
    }  # fmt: skip
    first = rows[1]["matches"][0]
    assert (first["subject"], first["how"], first["score"]) == (RIC, "identifier", 1.0)
    assert [e["list"] for e in first["entries"]] == ["dishonest-judgment-debtors"]
    assert first["decision"]["effect"] == "deny" and first["decision"]["reasons"]
    assert any(m["effect"] == "deny" for m in first["measures"])
    by_name = rows[2]["matches"][0]
    assert (by_name["subject"], by_name["how"], by_name["score"]) == (RIC, "name+region", 1.0)
    assert any("agrees with the subject's 110105" in r for r in by_name["reasons"])
    assert rows[4]["matches"][0]["how"] == "name" and rows[4]["matches"][0]["score"] == 0.8
    assert "on no list screened" in rows[5]["notes"][0]
    assert "not valid" in rows[6]["notes"][0] and rows[6]["matches"][0]["subject"] == RIC
    company = rows[7]["matches"][0]
    assert (company["subject"], company["how"]) == (USCC, "name+region")
    assert "legal form set apart" in company["reasons"][0]
    assert result["counts"] == {"listed": 1, "no_match": 3, "possible_match": 4, "unreadable": 1}


def test_matches_are_logged_and_the_public_sees_masked_ids(listed: Engine, book: Rulebook) -> None:
    result = run(listed, book, party(1, "张三", RIC), caller=PUBLIC, purpose="supplier check")
    assert result["results"][0]["matches"][0]["subject"] == "110105********002X"
    with listed.connect() as db:
        logged = [e for e in audit_entries(db) if e["action"] == "screening.match"]
    assert [(e["subject"], e["purpose"]) for e in logged] == [(RIC, "supplier check")]


def test_refusals(listed: Engine, book: Rulebook) -> None:
    with pytest.raises(UnknownAction):
        run(listed, book, party(1, "张三"), action="fly_to_the_moon")
    subject = Principal(key_id="s", role="subject", name="me", subject=RIC)
    with pytest.raises(ScreeningRefused):
        run(listed, book, party(1, "张三"), caller=subject)


def test_files_in_and_out(tmp_path: Path, listed: Engine, book: Rulebook) -> None:
    source = tmp_path / "parties.csv"
    source.write_bytes(
        "名称,统一社会信用代码/身份证号码,地区,角色\n张三,,北京,供应商\n某某,,,\n".encode("gbk")
    )
    parties = read_counterparties(source)
    assert [(p.name, p.region, p.role) for p in parties] == [
        ("张三", "北京", "供应商"),
        ("某某", None, None),
    ]
    report = screen(listed, book, ADMIN, parties, "bid_public_procurement")
    data = csv_bytes(report)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows reads UTF-8 by its BOM
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(COLUMNS) and len(table) == 3
    assert table[1][COLUMNS.index("status")] == "possible_match"
    assert "dishonest-judgment-debtors" in table[1][COLUMNS.index("lists")]
    book_ = load_workbook(io.BytesIO(xlsx_bytes(report)))
    sheet = book_["筛查结果"]
    assert [c.value for c in sheet[1]] == list(COLUMNS) and sheet.max_row == 3
    json.dumps(as_json(report), ensure_ascii=False)


def test_names_and_regions() -> None:
    a, b = normal_name("（北京）ＡＢＣ 科技有限公司"), normal_name("北京ABC科技有限责任公司")
    assert a.core == b.core == "北京abc科技" and similarity(a, b) == 1.0
    assert similarity(normal_name("张三"), normal_name("张山")) == 0.5
    assert region_agrees("北京市朝阳区", "110105")[0]
    assert region_agrees("1101", "110105")[0]
    assert not region_agrees("上海", "110105")[0]
    assert not region_agrees("3101", "110105")[0]


def test_the_cli_and_the_api(tmp_path: Path, listed: Engine, book: Rulebook) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from socialcredit.app import create_app
    from socialcredit.cli.main import app
    from socialcredit.services.access.keys import create_key

    url = listed.url.render_as_string(hide_password=False)
    source = tmp_path / "parties.csv"
    source.write_text(f"name,identifier,region,role\n张三,{RIC},,supplier\n", encoding="utf-8")
    out = tmp_path / "results.xlsx"
    result = CliRunner().invoke(
        app, ["screen", str(source), "--db", url, "--action", "buy_flight_ticket",
              "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"listed": 1}
    assert load_workbook(out)["筛查结果"].max_row == 2
    scopes = {"disclosures": ["public"]}  # a key reads only what its scope names
    key = create_key(listed, "agency", "bank", agency="court", scopes=scopes)
    with TestClient(create_app(url, book)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        body = {
            "counterparties": [{"name": "张三", "region": "北京"}],
            "action": "buy_flight_ticket",
        }
        answer = client.post("/v1/screening", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["matches"][0]["how"] == "name+region"
        as_csv = client.post("/v1/screening", params={"format": "csv"}, json=body, headers=headers)
        assert as_csv.content.startswith(b"\xef\xbb\xbf")
        bad = client.post("/v1/screening", json={"counterparties": []}, headers=headers)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
        unknown = client.post(
            "/v1/screening", json={**body, "action": "fly_to_the_moon"}, headers=headers
        )
        assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_action"
