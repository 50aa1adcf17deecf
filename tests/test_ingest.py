"""Ingestion: per-row reasons, valid rows kept, idempotence, status updates, corrections."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.decisions.decide import decide
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from tests.conftest import RIC, USCC

ENVELOPE = ["subject", "name", "category", "doc_no", "decided_on", "status", "status_date"]
HEADER = ",".join(
    [
        *ENVELOPE,
        *["amount_due", "ground", "aggravated", "security_sufficient", "seized_assets_sufficient"],
        *["later_in_order", "court"],
    ]
)


def case(
    subject: str = RIC,
    doc: str = "(2018)京01执1号",
    ground: str = "evades",
    decided: str = "2018-01-10",
    status: str = "",
    status_date: str = "",
    amount: str = "50000",
) -> str:
    envelope = f"{subject},张三,court.enforcement_case,{doc},{decided},{status},{status_date}"
    return f"{envelope},{amount},{ground},false,false,false,false,北京市第一中级人民法院"


def write(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def count(store: Engine, table: object) -> int:
    with store.connect() as db:
        return int(db.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_bad_rows_are_explained_and_valid_rows_kept(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(
        tmp_path,
        "court.csv",
        case(),
        case(subject="110105194912310021", doc="b"),  # wrong check character
        case(doc="c", ground="steals"),  # not a choice
        case(doc="d", decided="2018-02-30"),  # no such date
        case(doc="e", amount="-5"),  # negative amount
        case(doc="", ground="evades"),  # no document number
        case(subject=USCC, doc="f"),
    )
    report = ingest_file(store, book, path, "court")
    reasons = {o.row: " ".join(o.reasons) for o in report.rejected}
    assert report.count("accepted") == 2
    assert "check character should be X, not 1" in reasons[2]
    assert "ground should be one of" in reasons[3]
    assert "decided_on should be a date" in reasons[4]
    assert "amount_due should be a non-negative amount" in reasons[5]
    assert "doc_no" in reasons[6]
    assert count(store, t.records) == 2
    assert count(store, t.rejections) == 5


def test_unknown_category_and_unpermitted_agency_are_rejected(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(
        tmp_path, "x.csv", case().replace("court.enforcement_case", "court.gossip"), case(doc="2")
    )
    report = ingest_file(store, book, path, "court")
    assert "not in the catalog" in report.rejected[0].reasons[0]
    other = ingest_file(store, book, write(tmp_path, "y.csv", case(doc="3")), "tax")
    assert "may not submit court.enforcement_case" in other.rejected[0].reasons[0]
    assert count(store, t.records) == 1


def test_loading_the_same_file_twice_adds_nothing(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(tmp_path, "court.csv", case(), case(doc="2"))
    first = ingest_file(store, book, path, "court")
    second = ingest_file(store, book, path, "court")
    assert first.count("accepted") == 2 and second.already_loaded
    renamed = write(tmp_path, "again.csv", case(), case(doc="2"), "")
    third = ingest_file(store, book, renamed, "court")
    assert third.count("duplicate") == 2
    assert count(store, t.records) == 2


def test_a_status_update_lifts_the_measures(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    # Performance deletes an open-ended listing (SPC 2017 Art. 10 para. 1).
    ingest_file(store, book, write(tmp_path, "a.csv", case(ground="refuses_with_ability")), "court")
    day = dt.date(2018, 6, 1)
    assert decide(store, book, RIC, "buy_flight_ticket", day).effect == "deny"
    update = write(
        tmp_path,
        "b.csv",
        f"{RIC},,court.enforcement_case,(2018)京01执1号,2018-01-10,performed,2018-05-02" + "," * 7,
    )
    report = ingest_file(store, book, update, "court")
    assert report.count("updated") == 1, report.as_dict()
    assert decide(store, book, RIC, "buy_flight_ticket", day).effect == "allow"
    assert decide(store, book, RIC, "buy_flight_ticket", dt.date(2018, 5, 1)).effect == "deny"


def test_a_correction_keeps_the_original_values(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    ingest_file(store, book, write(tmp_path, "a.csv", case()), "court")
    report = ingest_file(store, book, write(tmp_path, "b.csv", case(amount="60000")), "court")
    assert report.count("corrected") == 1
    with store.connect() as db:
        row = db.execute(select(t.records)).one()
    assert row.fields["amount_due"] == 60000 and row.original["amount_due"] == "50000"


def test_json_lines_with_a_broken_line(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    good = {
        "subject": RIC,
        "category": "court.enforcement_case",
        "doc_no": "j1",
        "decided_on": "2018-01-10",
        "fields": {
            "amount_due": 1,
            "ground": "obstructs",
            "aggravated": False,
            "security_sufficient": False,
            "seized_assets_sufficient": False,
            "later_in_order": False,
        },
    }
    path = tmp_path / "court.jsonl"
    path.write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({**good, "doc_no": "j2", "extra": 1}) + "\n"
    )
    report = ingest_file(store, book, path, "court")
    assert report.count("accepted") == 1
    assert "not valid JSON" in report.rejected[0].reasons[0]
    assert "unknown field(s) extra" in report.rejected[1].reasons[0]


def test_registration_states_the_legal_representative(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    registration = tmp_path / "samr.csv"
    registration.write_text(
        "subject,name,category,doc_no,decided_on,legal_representative,principal,actual_controller\n"
        f"{USCC},某某有限公司,market.registration,R1,2015-03-01,{RIC},,\n",
        encoding="utf-8",
    )
    assert ingest_file(store, book, registration, "samr").count("accepted") == 1
    ingest_file(store, book, write(tmp_path, "court.csv", case(subject=USCC)), "court")
    decision = decide(store, book, RIC, "buy_g_train_ticket", dt.date(2018, 6, 1))
    assert decision.effect == "deny"
    assert decision.reasons[0].explanation["via"] == USCC


def test_parquet_file(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "subject": RIC,
            "category": "court.enforcement_case",
            "doc_no": "p1",
            "decided_on": "2018-01-10",
            "amount_due": 10.5,
            "ground": "evades",
            "aggravated": False,
            "security_sufficient": False,
            "seized_assets_sufficient": False,
            "later_in_order": False,
        },
        {
            "subject": "123",
            "category": "court.enforcement_case",
            "doc_no": "p2",
            "decided_on": "2018-01-10",
            "amount_due": 1.0,
            "ground": "evades",
            "aggravated": False,
            "security_sufficient": False,
            "seized_assets_sufficient": False,
            "later_in_order": False,
        },
    ]
    path = tmp_path / "court.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    report = ingest_file(store, book, path, "court")
    assert report.count("accepted") == 1
    assert "wrong length" in report.rejected[0].reasons[0]


def test_unknown_file_format_is_refused(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    path = tmp_path / "court.xls"
    path.write_bytes(b"PK")
    with pytest.raises(UnreadableFile, match="unknown format"):
        ingest_file(store, book, path, "court")


def test_injection_strings_and_odd_unicode_are_plain_text(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    hostile = "Robert'); DROP TABLE records;-- \u202e\u0000"
    path = write(
        tmp_path, "court.csv", case().replace("北京市第一中级人民法院", "'); DROP TABLE records;--")
    )
    assert ingest_file(store, book, path, "court").count("accepted") == 1
    bad = write(tmp_path, "bad.csv", case(doc="2").replace("北京市第一中级人民法院", hostile))
    report = ingest_file(store, book, bad, "court")
    assert "control characters" in report.rejected[0].reasons[0]
    assert count(store, t.records) == 1
