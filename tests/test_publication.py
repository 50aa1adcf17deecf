"""What the public sees ends when publication ends: a deleted or expired listing and the
records behind it leave the public credit file and the public search, while the subject
still reads his whole file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import publication_end, published
from socialcredit.services.labelling.run import label
from socialcredit.services.public.search import search_subjects
from socialcredit.services.records.ingest import ingest_file
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_api import submit
from tests.test_ingest import case

PUBLIC = Principal("k", "public", "public")


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def public_file(api: LiveApi, as_of: str) -> dict:  # type: ignore[type-arg]
    with api.client("public") as client:
        return dict(client.get(f"/v1/subjects/{RIC}", params={"as_of": as_of}).json())


def found_by_name(api: LiveApi, book: Rulebook) -> int:
    with api.engine.connect() as db:
        return search_subjects(db, book, PUBLIC, "张三", 0, 10).total


def test_a_listing_deleted_on_performance_is_no_longer_published(
    api: LiveApi, book: Rulebook
) -> None:
    submit(api, case(ground="refuses_with_ability"))
    label(api.engine, book, dt.date(2018, 6, 1))
    listed = public_file(api, "2018-06-01")
    assert listed["entries"] and listed["records"] and found_by_name(api, book) == 1

    submit(api, case(ground="refuses_with_ability", status="performed", status_date="2018-05-02"))
    label(api.engine, book, dt.date(2018, 6, 1))
    deleted = public_file(api, "2018-06-01")
    assert deleted["entries"] == [] and deleted["records"] == []
    assert deleted["subject"]["known"] is False  # as if there were no file
    assert found_by_name(api, book) == 0
    with api.client("subject") as client:
        own = client.get(f"/v1/subjects/{RIC}", params={"as_of": "2018-06-01"}).json()
    assert len(own["records"]) == 1 and own["entries"][0]["active"] is False
    with api.client("public") as client:
        ended = client.get(
            "/v1/lists/dishonest-judgment-debtors/entries", params={"active": "false"}
        ).json()
    with api.client("agency") as client:
        kept = client.get(
            "/v1/lists/dishonest-judgment-debtors/entries", params={"active": "false"}
        ).json()
    assert (ended["total"], kept["total"]) == (0, 1)


def test_publication_ends_at_the_categorys_maximum(book: Rulebook) -> None:
    decided = dt.date(2020, 3, 1)
    end = publication_end(book, "sta.major_violation_determination", decided)
    assert end == dt.date(2023, 3, 1)
    record = {
        "id": "r1",
        "category": "sta.major_violation_determination",
        "decided_on": decided.isoformat(),
    }
    assert published(book, record, [], dt.date(2023, 2, 28))
    assert not published(book, record, [], end)
    assert publication_end(book, "court.enforcement_case", decided) == dt.date.max


def test_the_search_count_is_of_entries_in_force_on_its_date(
    api: LiveApi, book: Rulebook, tmp_path: Path
) -> None:
    """A row's "On lists: N" counts what the subject's page of the same date shows: an
    entry that starts after the label run's date (a passenger listed by CAAC later than
    the finding) is not counted (issue 14, item 6)."""
    submit(api, case(doc="(2018)京01执1号", decided="2018-01-10"))
    finding = tmp_path / "caac.csv"
    finding.write_text(
        "subject,name,category,doc_no,decided_on,conduct,sanction,listed_on\n"
        f"{RIC},张三,caac.passenger_misconduct,民航罚1号,2018-05-02,smoking_on_board,"
        "administrative_penalty,2018-09-03\n",
        encoding="utf-8",
    )
    assert ingest_file(api.engine, book, finding, "caac").count("accepted") == 1
    label(api.engine, book, dt.date(2018, 6, 1))
    with api.engine.connect() as db:
        found = search_subjects(db, book, PUBLIC, "张三", 0, 10)
        starts = db.execute(text("SELECT list_id, starts FROM list_entries")).all()
    assert ("air-travel-restricted-passengers", "2018-09-03") in [(r[0], str(r[1])) for r in starts]
    page = public_file(api, found.counted_on or "")
    in_force = [e for e in page["entries"] if e["active"]]
    assert found.counted_on == "2018-06-01"
    assert found.hits[0].active_entries == len(in_force) == 1
