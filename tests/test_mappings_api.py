"""Ingest mappings through the API (issue 14, item 2): ``POST /v1/records?mapping=...`` reads
an agency's own layout (a GBK file with Chinese headers, full-width digits), says which
encoding it used and what it normalised, and refuses a mapping that is not shipped or not
the key's agency's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.store import tables as t
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_mappings import HEADER, court_row

CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def gbk_body(*rows: list[str]) -> bytes:
    return ("\r\n".join(",".join(row) for row in [HEADER, *rows]) + "\r\n").encode("gbk")


def test_a_gbk_file_is_read_through_a_shipped_mapping(api: LiveApi, store: Engine) -> None:
    wide = court_row(1, doc="（２０１８）京01执１２号")  # full-width digits in the case number
    body = gbk_body(wide, court_row(2, subject="123", doc="（2018）京01执2号"))
    with api.client("agency") as client:
        answer = client.post(
            "/v1/records", params={"mapping": "court-enforcement-zh"}, content=body, headers=CSV
        )
        again = client.post(
            "/v1/records", params={"mapping": "court-enforcement-zh"}, content=body, headers=CSV
        )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["accepted"], report["rejected"]) == (1, 1)
    assert report["rejections"][0]["row"] == 2 and report["rejections"][0]["reasons"]
    reading = report["reading"]
    assert reading["encoding"].startswith("gb18030") and "detected" in reading["encoding"]
    assert reading["mapping"].startswith("court-enforcement-zh")
    assert reading["normalised_by_column"].get("案号", 0) >= 1
    again_report = again.json()  # a batch with a rejected row is read again (issue 13, item 5)
    assert (again_report["already_loaded"], again_report["accepted"]) == (False, 0)
    with store.connect() as db:
        docs = db.execute(select(t.records.c.doc_no, t.records.c.subject_id)).all()
    assert [(d.doc_no, d.subject_id) for d in docs] == [("(2018)京01执12号", RIC)]


def test_a_mapping_must_be_shipped_and_the_keys_agencys(api: LiveApi) -> None:
    body = gbk_body(court_row(1))
    with api.client("agency") as client:
        unknown = client.post(
            "/v1/records", params={"mapping": "no-such-layout"}, content=body, headers=CSV
        )
        traversal = client.post(
            "/v1/records", params={"mapping": "../packs/x"}, content=body, headers=CSV
        )
        other = client.post(
            "/v1/records", params={"mapping": "samr-penalties-zh"}, content=body, headers=CSV
        )
        jsonl = client.post(
            "/v1/records",
            params={"mapping": "court-enforcement-zh"},
            content=b"{}",
            headers={"Content-Type": "application/x-ndjson"},
        )
        wrong_layout = client.post(
            "/v1/records",
            params={"mapping": "court-enforcement-zh"},
            content=b"a,b\n1,2\n",
            headers=CSV,
        )
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_mapping"
    assert "court-enforcement-zh" in unknown.json()["error"]["message"]  # the known ones named
    assert traversal.status_code == 422
    assert other.status_code == 403 and "samr" in other.json()["error"]["message"]
    assert jsonl.status_code == 415
    assert wrong_layout.status_code == 422
    message = wrong_layout.json()["error"]["message"]
    assert "/tmp" not in message and "the body" in message


def test_the_vocabulary_lists_actions_and_categories_with_columns(api: LiveApi) -> None:
    with api.client("public") as client:
        answer = client.get("/v1/vocabulary")
    with api.client() as anonymous:
        refused = anonymous.get("/v1/vocabulary")
    assert answer.status_code == 200 and refused.status_code == 401
    found = answer.json()
    actions = {a["id"]: a for a in found["actions"]}
    flights = actions["buy_flight_ticket"]
    assert flights["domain"] == "travel" and flights["shared"] and "deny" in flights["effects"]
    categories = {c["id"]: c for c in found["categories"]}
    case = categories["court.enforcement_case"]
    columns = {c["name"]: c for c in case["columns"]}
    assert "court" in case["agencies"] and case["pack"] == "cn-judgment-defaulters"
    assert columns["subject"]["required"] and columns["decided_on"]["type"] == "date"
    assert columns["ground"]["type"] == "enum" and "evades" in columns["ground"]["choices"]
    assert columns["settlement_performed_on"]["required"] is False  # date? in the pack
    assert "cn-judgment-defaulters" in found["packs"]
