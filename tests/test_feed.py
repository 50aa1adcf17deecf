"""The feed: every kind of change event, against a live server on SQLite and PostgreSQL, each
caller seeing exactly the events ``Principal.may_read`` lets it read, and a cursor that
reveals nothing about the others."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.access.visibility import event_condition
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_api import submit
from tests.test_ingest import case

FIRM = "91110000RU0QR5NDAY"  # a taxpayer of the cn-tax-credit scenarios
OTHER = "110105198001010104"  # a second person
ROLES = ("agency", "public", "subject", "auditor", "admin")


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def feed(api: LiveApi, role: str, **params: Any) -> dict[str, Any]:
    with api.client(role) as client:
        response = client.get("/v1/feed", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def kinds(api: LiveApi, role: str) -> list[str]:
    return [e["kind"] for e in feed(api, role)["events"]]


def test_a_listing_starts_measures_and_performance_ends_them(api: LiveApi, book: Rulebook) -> None:
    submit(api, case(ground="refuses_with_ability"))
    label(api.engine, book, dt.date(2018, 6, 1))
    started = [e for e in feed(api, "agency")["events"] if e["kind"] == "measure.started"]
    flights = [e for e in started if "flight" in e["payload"]["measure"]]
    assert flights and all(e["subject"] == RIC for e in started)
    assert flights[0]["payload"]["trigger"]["kind"] == "list_entry"
    assert flights[0]["payload"]["effect"] == "deny"

    submit(api, case(ground="refuses_with_ability", status="performed", status_date="2018-05-02"))
    label(api.engine, book, dt.date(2018, 6, 1))
    label(api.engine, book, dt.date(2018, 6, 1))  # nothing changed: no event
    seen = kinds(api, "agency")
    assert seen.count("entry.added") == 1 and seen.count("entry.removed") == 1
    assert seen.count("measure.started") == seen.count("measure.ended") == len(started)
    assert seen.index("entry.added") < seen.index("entry.removed")
    with api.engine.connect() as db:
        assert db.execute(select(t.measures_in_force)).first() is None


def write_tax_records(tmp_path: Path) -> Path:
    rows = [
        {
            "subject": FIRM,
            "name": "Beijing Dongsheng Textiles Co. Ltd.",
            "category": "sta.direct_d_conduct",
            "doc_no": "STA-1",
            "decided_on": "2019-03-01",
            "fields": {
                "conduct": "evasion",
                "criminal": False,
                "evaded_tax": 100000,
                "tax_due_total": 1000000,
            },
        },
        {
            "subject": FIRM,
            "category": "sta.credit_evaluation_status",
            "doc_no": "STA-2",
            "decided_on": "2019-01-29",
            "fields": {"newly_established": False, "no_operating_income": False},
        },
    ]
    path = tmp_path / "sta.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def test_a_grade_change_is_an_event_for_those_who_may_read_the_grade(
    api: LiveApi, book: Rulebook, tmp_path: Path
) -> None:
    report = ingest_file(api.engine, book, write_tax_records(tmp_path), "sta")
    assert report.count("accepted") == 2, report.as_dict()
    label(api.engine, book, dt.date(2019, 2, 28))
    label(api.engine, book, dt.date(2019, 6, 1))
    changes = [
        e["payload"] for e in feed(api, "auditor")["events"] if e["kind"] == "rating.changed"
    ]
    assert changes == [
        {"rating": "tax-credit", "from": None, "to": "A"},
        {"rating": "tax-credit", "from": "A", "to": "D"},
    ]
    by_grade = [
        e["payload"]
        for e in feed(api, "auditor")["events"]
        if e["kind"] == "measure.started" and e["payload"]["trigger"]["kind"] == "rating"
    ]
    assert {p["trigger"]["grade"] for p in by_grade} >= {"D"}
    assert "rating.changed" not in kinds(api, "public")


def test_each_role_reads_exactly_the_events_may_read_allows(api: LiveApi, book: Rulebook) -> None:
    submit(api, case(ground="refuses_with_ability"), case(subject=OTHER, doc="2"))
    label(api.engine, book, dt.date(2018, 6, 1))
    with api.engine.connect() as db:
        rows = db.execute(select(t.events).order_by(t.events.c.id)).all()
    principals = {
        "agency": Principal(
            "k1", "agency", "court", agency="court", disclosures=frozenset({"shared"})
        ),
        "public": Principal("k2", "public", "public"),
        "subject": Principal("k3", "subject", "Zhang San", subject=RIC),
        "other agency": Principal("k4", "agency", "tax", agency="sta", disclosures=frozenset()),
    }
    for name, caller in principals.items():
        expected = [r.id for r in rows if caller.may_read(r.disclosure, r.subject_id)]
        query = select(t.events.c.id).order_by(t.events.c.id)
        condition = event_condition(caller)
        with api.engine.connect() as db:
            found = db.execute(query if condition is None else query.where(condition))
            assert [r.id for r in found] == expected, name
    assert event_condition(Principal("k5", "auditor", "auditor")) is None


def test_the_cursor_stops_at_the_last_event_the_caller_may_see(
    api: LiveApi, book: Rulebook
) -> None:
    submit(api, case())
    stranger = create_key(api.engine, "subject", "Li Si", subject=OTHER)
    with api.client() as client:
        headers = {"Authorization": f"Bearer {stranger}"}
        page = client.get("/v1/feed", params={"after": 0}, headers=headers).json()
    assert page == {"events": [], "next": 0}
    first = feed(api, "subject", limit=1)
    assert len(first["events"]) == 1 and first["next"] == first["events"][0]["id"]
    rest = feed(api, "subject", after=first["next"])
    assert rest["next"] == (rest["events"][-1]["id"] if rest["events"] else first["next"])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_a_feed_page(api: LiveApi, role: str) -> None:
    submit(api, case())
    page = feed(api, role)
    assert set(page) == {"events", "next"}
    if role == "public":
        assert all("*" in (e["subject"] or "*") for e in page["events"])
