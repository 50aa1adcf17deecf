"""A subject's name comes from registration sources, and every change keeps its history
(issue 13 item 15): a court key cannot rename a company; the market regulator's registration
can, and each name given is kept with the one it replaced, the source and the time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.records.names import registers_names
from socialcredit.services.records.submit import submit_records
from socialcredit.store import tables as t
from tests.conftest import RIC, USCC
from tests.test_ingest import HEADER, case
from tests.test_ingest_refused_again import court_key

REGISTRATION = "subject,name,category,doc_no,decided_on,legal_representative"


def register(tmp_path: Path, store: Engine, book: Rulebook, doc: str, name: str) -> None:
    path = tmp_path / f"samr-{doc}.csv"
    row = f"{USCC},{name},market.registration,{doc},2016-03-01,{RIC}"
    path.write_text(f"{REGISTRATION}\n{row}\n", encoding="utf-8")
    report = ingest_file(store, book, path, "samr")
    assert report.count("accepted") == 1, report.as_dict()


def name_of(store: Engine, subject: str) -> str | None:
    with store.connect() as db:
        query = select(t.subjects.c.name).where(t.subjects.c.id == subject)
        return db.execute(query).scalar_one()


def history(store: Engine, subject: str) -> list[tuple[object, ...]]:
    c = t.subject_names.c
    query = select(c.previous, c.name, c.agency, c.category, c.at).where(c.subject_id == subject)
    with store.connect() as db:
        return [tuple(row) for row in db.execute(query.order_by(c.id))]


def test_registration_categories_are_the_registration_domain(book: Rulebook) -> None:
    assert registers_names(book, "market.registration")
    assert not registers_names(book, "court.enforcement_case")
    assert not registers_names(book, "no.such.category")


def test_a_court_key_cannot_rename_a_company(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    register(tmp_path, store, book, "reg-1", "福州某某有限公司")
    renaming = case(subject=USCC).replace("张三", "改名公司", 1)
    body = f"{HEADER}\n{renaming}\n".encode()
    report = submit_records(
        Context(store, book), court_key("court.enforcement_case"), body, "text/csv"
    )
    assert report.count("accepted") == 1
    assert name_of(store, USCC) == "福州某某有限公司"
    with store.connect() as db:
        stored = db.execute(select(t.records.c.original).where(t.records.c.agency == "court"))
        assert stored.scalar_one()["name"] == "改名公司"  # kept as the court reported it
    assert [h[:3] for h in history(store, USCC)] == [(None, "福州某某有限公司", "samr")]


def test_a_registration_renames_and_the_history_keeps_every_name(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    register(tmp_path, store, book, "reg-1", "福州旧名有限公司")
    register(tmp_path, store, book, "reg-2", "福州新名有限公司")
    assert name_of(store, USCC) == "福州新名有限公司"
    found = history(store, USCC)
    assert [h[:4] for h in found] == [
        (None, "福州旧名有限公司", "samr", "market.registration"),
        ("福州旧名有限公司", "福州新名有限公司", "samr", "market.registration"),
    ]
    assert all(h[4] is not None for h in found)


def test_a_person_first_reported_takes_that_name_and_keeps_it(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    first = tmp_path / "a.csv"
    first.write_text(f"{HEADER}\n{case()}\n", encoding="utf-8")
    ingest_file(store, book, first, "court")
    second = tmp_path / "b.csv"
    second.write_text(f"{HEADER}\n{case(doc='2').replace('张三', '李四', 1)}\n", encoding="utf-8")
    ingest_file(store, book, second, "court")
    assert name_of(store, RIC) == "张三"
    assert [h[:3] for h in history(store, RIC)] == [(None, "张三", "court")]
