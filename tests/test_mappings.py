"""Ingest mappings: an agency's own layout (GBK or GB18030 text, workbooks, Chinese headers,
是/否, 2018年3月1日, full-width digits) read into the same records as our own layout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.io.encoding import detect_bytes
from socialcredit.io.mappings import MAPPINGS_ROOT, MappingError, check, load_mapping
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from tests.conftest import RIC

COURT = MAPPINGS_ROOT / "court-enforcement-zh.yaml"
PENALTIES = MAPPINGS_ROOT / "samr-penalties-zh.yaml"
HEADER = [
    "序号", "被执行人姓名/名称", "身份证号码/组织机构代码", "案号", "立案时间", "履行情况",
    "履行情况变更日期", "执行标的（元）", "失信被执行人行为具体情形", "情节严重",
    "已提供充分有效担保", "已查封财产足以清偿", "依法不得优先清偿", "执行法院",
]  # fmt: skip


def court_row(
    number: int,
    name: str = "张三",
    subject: str = RIC,
    doc: str = "（2018）京01执1号",
    decided: str = "2018年3月1日",
    aggravated: str = "是",
) -> list[str]:
    return [
        str(number), name, subject, doc, decided, "全部未履行", "", "50000",
        "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", aggravated, "否", "否", "否",
        "北京市第一中级人民法院",
    ]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    text = "\r\n".join(",".join(row) for row in [HEADER, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def stored(store: Engine) -> list[dict[str, object]]:
    with store.connect() as db:
        rows = db.execute(select(t.records).order_by(t.records.c.doc_no))
        return [dict(row._mapping) for row in rows]


def test_shipped_mappings_load_and_fit_the_catalog(book: Rulebook) -> None:
    for path in sorted(MAPPINGS_ROOT.glob("*.yaml")):
        check(load_mapping(path), book)


def test_a_gbk_file_with_chinese_dates_and_yes_no_is_read(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write_csv(tmp_path / "court.csv", [court_row(1)], "gbk")
    report = ingest_file(store, book, path, "court", mapping=load_mapping(COURT))
    assert report.count("accepted") == 1, report.as_dict()
    assert report.reading["encoding"] == "gb18030 (detected by charset-normalizer)"
    [record] = stored(store)
    assert record["decided_on"] == dt.date(2018, 3, 1)
    assert record["fields"]["aggravated"] is True  # 是
    assert record["fields"]["security_sufficient"] is False  # 否
    assert record["fields"]["ground"] == "evades"
    assert record["doc_no"] == "(2018)京01执1号"  # full-width brackets normalised
    assert record["subject_id"] == RIC


def test_a_gb18030_file_keeps_characters_gbk_lacks(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    name = "王𠀀"  # U+20000 is in GB18030 only
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path = write_csv(tmp_path / "court.csv", [court_row(1, name=name)], "gb18030")
    report = ingest_file(store, book, path, "court", mapping=load_mapping(COURT))
    assert report.count("accepted") == 1, report.as_dict()
    with store.connect() as db:
        assert db.execute(select(t.subjects.c.name)).scalar_one() == name


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        ("案号,立案时间\n".encode("utf-8-sig"), "utf-8-sig"),
        ("案号,立案时间\n".encode(), "utf-8"),
        ("被执行人姓名,案号,立案时间\n张三,京01执1号,2018年3月1日\n".encode("gbk"), "gb18030"),
    ],
)
def test_encodings_are_detected(data: bytes, codec: str) -> None:
    assert detect_bytes(data).codec == codec


def test_full_width_digits_are_normalised_and_reported(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    full_width = RIC.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    rows = [court_row(1, subject=full_width, decided="２０１８年３月１日")]
    path = write_csv(tmp_path / "court.csv", rows, "utf-8-sig")
    report = ingest_file(store, book, path, "court", mapping=load_mapping(COURT))
    assert report.count("accepted") == 1, report.as_dict()
    assert report.reading["encoding"] == "UTF-8 with BOM (byte-order mark)"
    assert report.reading["normalised_by_column"] == {
        "身份证号码/组织机构代码": 1,
        "立案时间": 1,
        "案号": 1,
    }
    assert stored(store)[0]["subject_id"] == RIC


def test_a_bad_row_among_good_rows_is_explained_and_the_rest_kept(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    rows = [
        court_row(1, doc="（2018）京01执1号"),
        court_row(2, doc="（2018）京01执2号", decided="2018年13月1日"),  # no 13th month
        court_row(3, doc="（2018）京01执3号", subject="110105194912310021"),  # bad check digit
        court_row(4, doc="（2018）京01执4号", aggravated="也许"),  # not 是/否
        court_row(5, doc="（2018）京01执5号"),
    ]
    path = write_csv(tmp_path / "court.csv", rows, "gbk")
    report = ingest_file(store, book, path, "court", mapping=load_mapping(COURT))
    assert report.count("accepted") == 2
    reasons = {o.row: " ".join(o.reasons) for o in report.rejected}
    assert "立案时间 (decided_on): '2018年13月1日' fits no date format" in reasons[2]
    assert "subject '110105194912310021' is not a valid identity number" in reasons[3]
    assert "field aggravated should be true or false, not '也许'" in reasons[4]
    assert [r["doc_no"] for r in stored(store)] == ["(2018)京01执1号", "(2018)京01执5号"]


def test_a_workbook_is_read_with_date_cells_and_text_dates(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    mapping = load_mapping(PENALTIES)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "行政处罚信息"
    sheet.append(list(mapping.spec.columns))
    base = ["张三", RIC, "京市监罚〔2020〕1号", dt.date(2020, 12, 5), "有效", None, "罚款", "一般"]
    sheet.append([*base, "否", "否", "否", 7327, "2020年12月11日", "北京市市场监督管理局"])
    second = [*base[:2], "京市监罚〔2020〕2号", "2020/12/6", "有效", None, "警告", "轻微"]
    sheet.append([*second, "是", None, None, None, None, None])
    path = tmp_path / "penalties.xlsx"
    workbook.save(path)
    report = ingest_file(store, book, path, "samr", mapping=mapping)
    assert report.count("accepted") == 2, report.as_dict()
    first, other = stored(store)
    assert first["decided_on"] == dt.date(2020, 12, 5)
    assert first["fields"]["published_on"] == "2020-12-11"
    assert first["fields"]["fine_amount"] == 7327
    assert first["fields"]["penalty_type"] == "fine"
    assert other["fields"]["summary_procedure"] is True
    assert other["fields"]["tier"] == "minor"


def test_a_file_that_does_not_fit_its_mapping_is_refused_with_the_columns(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = tmp_path / "court.csv"
    path.write_text("被执行人姓名/名称,案号,备注\n张三,(2018)京01执1号,无\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"lacks the column\(s\) 身份证号码") as error:
        ingest_file(store, book, path, "court", mapping=load_mapping(COURT))
    assert "does not name: 备注" in str(error.value)


def test_a_declared_encoding_refuses_text_it_cannot_decode(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write_csv(tmp_path / "court.csv", [court_row(1)], "gbk")
    with pytest.raises(UnreadableFile, match="not UTF-8 text"):
        ingest_file(store, book, path, "court", encoding="utf-8")


BAD_MAPPINGS = [
    ("agency: court\n", 1, "", "id"),  # required keys missing
    ("id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\ncolour: red\n"
     "columns: {案号: subject}\n", 5, "colour", "unknown key"),
    ("id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\n"
     "date_formats: ['%d']\ncolumns: {案号: subject}\n", 5, "date_formats", "needs %Y"),
    ("id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\n"
     "columns:\n  案号: doc_no\n", 5, "columns", "no column fills 'subject'"),
    ("id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\nencoding: klingon\n"
     "columns: {案号: subject}\n", 5, "encoding", "unknown encoding"),
    ("id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\n"
     "columns: {案号: subject}\nvalues:\n  ground: {是: yes}\n", 7, "values.ground",
     "not a target"),
    ("id: [unclosed\n", 2, "", "not valid YAML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "key", "message"), BAD_MAPPINGS)
def test_a_bad_mapping_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as error:
        load_mapping(path)
    assert error.value.file == str(path)
    assert error.value.line == line
    assert error.value.key.startswith(key) if key else True
    assert message in str(error.value)


def test_a_mapping_is_checked_against_the_catalog(tmp_path: Path, book: Rulebook) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: x\ntitle: x\nagency: court\ncategory: court.enforcement_case\n"
        "columns:\n  证件号: subject\n  金额: amount\n  情形: ground\n"
        "values:\n  ground:\n    拒不履行: refuses\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match=r"bad.yaml:7: columns.金额: 'amount' is no"):
        check(load_mapping(path), book)
    path.write_text(path.read_text(encoding="utf-8").replace("  金额: amount\n", ""), "utf-8")
    with pytest.raises(MappingError, match=r"bad.yaml:10: values.ground.拒不履行: 'refuses'"):
        check(load_mapping(path), book)


def test_the_cli_ingests_with_a_mapping_and_says_what_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from socialcredit.cli.main import app

    path = write_csv(tmp_path / "court.csv", [court_row(1, subject=RIC.replace("1", "１"))], "gbk")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    monkeypatch.chdir(tmp_path)  # the file as the user types it, the mapping by its path
    result = runner.invoke(
        app, ["ingest", "court.csv", "--mapping", str(COURT), "--db", url, "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["accepted"] == 1 and report["agency"] == "court"
    assert report["file"] == "court.csv"
    assert (
        report["reading"]["mapping"] == "court-enforcement-zh (mappings/court-enforcement-zh.yaml)"
    )
    assert str(MAPPINGS_ROOT) not in result.stdout
    assert report["reading"]["encoding"].startswith("gb18030")
    assert report["reading"]["normalised_by_column"]["身份证号码/组织机构代码"] == 1
    shown = runner.invoke(app, ["ingest", str(path), "--mapping", str(COURT), "--db", url])
    assert shown.exit_code == 0 and "already loaded" in " ".join(shown.stdout.split())
    wrong = runner.invoke(
        app, ["ingest", str(path), "--mapping", str(COURT), "--agency", "samr", "--db", url]
    )
    assert wrong.exit_code == 1 and "the mapping is for 'court'" in " ".join(wrong.output.split())
    missing = runner.invoke(app, ["ingest", str(path), "--db", url])
    assert missing.exit_code == 1 and "--agency" in " ".join(missing.output.split())
