"""Bad values get a clear per-row or per-file error, and the valid rows of the same file are
kept (issue 13 item 8): future decision dates, ambiguous commas, unbounded amounts, empty
files, a quote left open, a GBK file where UTF-8 was expected."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.catalog import FieldError, FieldType
from socialcredit.core.pack.model import Rulebook
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.context import Context
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.records.submit import submit_records
from socialcredit.store import tables as t
from tests.conftest import RIC
from tests.test_ingest import HEADER, case, count, write


def reasons(report: object) -> dict[int, str]:
    return {o.row: " ".join(o.reasons) for o in report.rejected}  # type: ignore[attr-defined]


def test_a_decision_dated_in_the_future_is_refused(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    path = write(
        tmp_path,
        "court.csv",
        case(),
        case(doc="2", decided="2199-12-31"),
        case(doc="3", decided=(tomorrow + dt.timedelta(days=1)).isoformat()),
        case(doc="4", decided=tomorrow.isoformat()),  # within the day of tolerance
        case(doc="5", status="performed", status_date="2199-01-01"),
    )
    report = ingest_file(store, book, path, "court")
    why = reasons(report)
    assert report.count("accepted") == 2 and sorted(why) == [2, 3, 5]
    assert "decided_on 2199-12-31 is in the future" in why[2]
    assert "latest day accepted is" in why[3]
    assert "status_date 2199-01-01 of status performed is in the future" in why[5]
    assert count(store, t.records) == 2


def test_a_status_update_dated_in_the_future_is_refused(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    ingest_file(store, book, write(tmp_path, "a.csv", case()), "court")
    update = "\n".join(
        [
            "subject,category,doc_no,status,status_date",
            f"{RIC},court.enforcement_case,(2018)京01执1号,performed,2199-12-31",
        ]
    )
    (tmp_path / "b.csv").write_text(update + "\n", encoding="utf-8")
    report = ingest_file(store, book, tmp_path / "b.csv", "court")
    assert "status_date 2199-12-31 is in the future" in reasons(report)[1]


@pytest.mark.parametrize("amount", ["1,000", "1,5", "12,34", "1,000.5.5"])
def test_an_ambiguous_comma_is_refused(
    amount: str, tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(tmp_path, "court.csv", case(), case(doc="2", amount=f'"{amount}"'))
    report = ingest_file(store, book, path, "court")
    assert report.count("accepted") == 1
    assert "amount_due" in reasons(report)[2]
    if amount != "1,000.5.5":
        assert "ambiguous" in reasons(report)[2] and "decimal comma" in reasons(report)[2]


@pytest.mark.parametrize("amount", ["1e308", "inf", "nan", "-inf", "1e14", "Infinity"])
def test_an_unbounded_amount_is_refused(
    amount: str, tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(tmp_path, "court.csv", case(), case(doc="2", amount=amount))
    report = ingest_file(store, book, path, "court")
    assert report.count("accepted") == 1 and "amount_due" in reasons(report)[2]


def test_unambiguous_numbers_are_read() -> None:
    money, whole = FieldType.parse("money"), FieldType.parse("int")
    assert money.read("1,200.50") == 1200.5 and money.read("1,000,000") == 1_000_000
    assert money.read("9999999999999") == 9_999_999_999_999
    assert whole.read("2,000,000") == 2_000_000 and whole.read(7) == 7
    for bad in ("1,000", "inf", "nan", "1e300"):
        with pytest.raises(FieldError):
            whole.read(bad)
    with pytest.raises(FieldError):
        money.read(float("nan"))


@pytest.mark.parametrize("text", ["", HEADER + "\n", "\n\n"])
def test_an_empty_or_header_only_file_is_warned_of(
    text: str, tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = tmp_path / "court.csv"
    path.write_text(text, encoding="utf-8")
    report = ingest_file(store, book, path, "court")
    assert report.outcomes == []
    assert report.warnings and "no data rows" in report.warnings[0]
    assert "no data rows" in report.as_dict()["warnings"][0]


def test_an_unterminated_quote_names_the_line_it_opened_on(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    swallowed = case(doc="3").replace("北京市第一中级人民法院", '"北京市第一中级人民法院')
    path = write(
        tmp_path, "court.csv", case(), case(doc="2"), swallowed, case(doc="4"), case(doc="5")
    )
    report = ingest_file(store, book, path, "court")
    assert report.count("accepted") == 2
    [rejected] = report.rejected
    assert "a quote opened on line 4 is never closed" in rejected.reasons[0]
    assert "line 6" in rejected.reasons[0]
    assert "identity number" not in rejected.reasons[0]


def test_a_quoted_value_over_several_lines_is_still_read(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    multiline = case(doc="2").replace("北京市第一中级人民法院", '"北京市\n第一中级人民法院"')
    report = ingest_file(store, book, write(tmp_path, "c.csv", case(), multiline), "court")
    assert report.count("accepted") == 2, report.as_dict()


GBK_ROW = {"subject": RIC, "name": "张三", "category": "court.enforcement_case"}


def test_a_gbk_json_lines_file_is_said_to_look_like_gbk(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = tmp_path / "court.jsonl"
    rows = [
        {**GBK_ROW, "doc_no": f"（2018）京01执{n}号", "court": "北京市第一中级人民法院"}
        for n in range(20)
    ]
    path.write_bytes("\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("gbk"))
    with pytest.raises(UnreadableFile, match="looks like GBK/GB18030"):
        ingest_file(store, book, path, "court")


def test_a_gbk_body_is_said_to_look_like_gbk(store: Engine, book: Rulebook) -> None:
    body = HEADER + "\n" + "\n".join(case(doc=f"（2018）京01执{n}号") for n in range(20))
    key = Principal(
        key_id="k", role="agency", name="court", agency="court", categories=frozenset({"*"})
    )
    with pytest.raises(UnreadableFile, match="looks like GBK/GB18030"):
        submit_records(Context(store, book), key, body.encode("gbk"), "text/csv")
