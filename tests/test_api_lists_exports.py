"""Lists, snapshot exports and the credit report, against a live server on SQLite and
PostgreSQL: records submitted over HTTP, labelled by ``services.labelling.run``, read back by
each role as far as it may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.services.files.report import AccessDenied, credit_report
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.audit_log import entries as audit_entries
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, USCC
from tests.test_api import submit
from tests.test_ingest import case, write

LIST = "dishonest-judgment-debtors"
ENTRIES = f"/v1/lists/{LIST}/entries"
MASKED = "110105********002X"
EU_ORG = "911100007EEBJ8TAHM"


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


@pytest.fixture
def labelled(api: LiveApi, book: Rulebook) -> LiveApi:
    """Three entries: two of RIC (2018-01-10 to 2020-01-10), one of USCC (from 2019-03-01),
    labelled as of 2019-06-01."""
    report = submit(
        api, case(doc="1"), case(doc="2"), case(subject=USCC, doc="3", decided="2019-03-01")
    )
    assert report["accepted"] == 3
    label(api.engine, book, dt.date(2019, 6, 1))
    return api


def get(api: LiveApi, role: str, path: str, **params: Any) -> Any:
    with api.client(role) as client:
        response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_list_definitions_are_readable_by_every_role(api: LiveApi) -> None:
    for role in ("agency", "public", "subject", "auditor", "admin"):
        lists = {d["id"]: d for d in get(api, role, "/v1/lists")["lists"]}
        assert LIST in lists
    debtors = lists[LIST]
    assert (debtors["kind"], debtors["pack"]) == ("blacklist", "cn-judgment-defaulters")
    assert [v["until"] for v in debtors["versions"]] == ["2017-05-01", None]
    current = debtors["versions"][1]
    assert current["legal_basis"]["title"].startswith("SPC Provisions on Announcing")
    assert current["legal_basis"]["provision"] == "art. 1, 2, 3, 4, 10"
    review = next(s for s in current["due_process"] if s["kind"] == "review")
    assert (review["days"], review["legal_basis"]["provision"]) == (15, "art. 12")
    assert {"spc-2013", "spc-2017", "spc-opinion-2019"} <= {s["id"] for s in debtors["sources"]}
    assert get(api, "public", f"/v1/lists/{LIST}") == debtors
    with api.client("public") as client:
        missing = client.get("/v1/lists/no-such-list/entries")
        anonymous = httpx_get(api, "/v1/lists")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert anonymous == 401


def httpx_get(api: LiveApi, path: str) -> int:
    with api.client() as client:
        return client.get(path).status_code


def test_no_label_run_yet_is_an_empty_page_not_an_error(api: LiveApi) -> None:
    submit(api, case())
    page = get(api, "auditor", ENTRIES)
    assert (page["run"], page["total"], page["entries"], page["next_page"]) == (None, 0, [], None)
    assert "no label run" in page["note"]
    live = get(api, "auditor", ENTRIES, basis="live", as_of="2018-06-01")
    assert (live["basis"], live["total"], live["entries"][0]["subject"]) == ("live", 1, RIC)


def test_entries_are_paged(labelled: LiveApi) -> None:
    first = get(labelled, "auditor", ENTRIES, page_size=2)
    second = get(labelled, "auditor", ENTRIES, page_size=2, page=first["next_page"])
    assert (first["total"], len(first["entries"]), first["next_page"]) == (3, 2, 2)
    assert (len(second["entries"]), second["next_page"]) == (1, None)
    assert first["run"]["as_of"] == first["as_of"] == "2019-06-01"
    subjects = [e["subject"] for e in first["entries"] + second["entries"]]
    assert subjects == [RIC, RIC, USCC]  # by start date
    with labelled.client("auditor") as client:
        too_big = client.get(ENTRIES, params={"page_size": 501})
    assert too_big.status_code == 422 and too_big.json()["error"]["details"]


def test_entries_are_filtered_by_date(labelled: LiveApi) -> None:
    early = get(labelled, "auditor", ENTRIES, as_of="2018-06-01")
    late = get(labelled, "auditor", ENTRIES, as_of="2020-06-01")
    history = get(labelled, "auditor", ENTRIES, as_of="2020-06-01", active="false")
    assert [e["subject"] for e in early["entries"]] == [RIC, RIC]
    assert [e["subject"] for e in late["entries"]] == [USCC]
    assert "not reflected" in late["note"] and "not reflected" not in early["note"]
    assert [e["active"] for e in history["entries"]] == [False, False, True]
    assert history["entries"][0]["ends"] == "2020-01-10"
    live = get(labelled, "auditor", ENTRIES, as_of="2020-06-01", basis="live")
    assert [e["subject"] for e in live["entries"]] == [USCC] and live["run"] is None


def test_the_public_sees_masked_ids_and_only_the_lists_reason(labelled: LiveApi) -> None:
    page = get(labelled, "public", ENTRIES)
    assert [e["subject"] for e in page["entries"]] == [MASKED, MASKED, USCC]
    assert not {"record_id", "doc_no", "agency", "category"} & set(page["entries"][0])
    assert page["entries"][0]["reason"].startswith("Judgment debtor in enforcement case")
    assert RIC not in json.dumps(page)


def test_a_subject_sees_only_his_own_entries(labelled: LiveApi) -> None:
    page = get(labelled, "subject", ENTRIES)
    assert page["total"] == 2 and {e["subject"] for e in page["entries"]} == {RIC}


def test_agencies_see_per_their_disclosure_scopes(labelled: LiveApi, book: Rulebook) -> None:
    commission = create_key(
        labelled.engine,
        "agency",
        "European Commission",
        agency="european-commission",
        scopes={"categories": ["edes.exclusion"], "disclosures": [], "actions": []},
    )
    labelled.keys["commission"] = commission
    labelled.keys["tax"] = create_key(
        labelled.engine, "agency", "tax office", agency="sta", scopes={"disclosures": ["public"]}
    )
    exclusion = {
        "subject": EU_ORG,
        "category": "edes.exclusion",
        "doc_no": "EDES-1",
        "decided_on": "2019-03-01",
        "fields": {
            "ground": "fraud_corruption_or_serious_crime",
            "final_judgment": False,
            "panel_recommendation_on": "2019-02-01",
            "period_ends": "2024-03-01",
            "published": False,
        },
    }
    with labelled.client("commission") as client:
        sent = client.post(
            "/v1/records",
            content=json.dumps(exclusion),
            headers={"Content-Type": "application/x-ndjson"},
        )
    assert sent.json()["accepted"] == 1
    label(labelled.engine, book, dt.date(2019, 6, 1))
    seen = {
        role: get(labelled, role, "/v1/lists/edes-exclusions/entries")["total"]
        for role in ("public", "tax", "agency", "commission", "auditor", "subject")
    }
    # shared: the court's key reads shared data, the tax office's does not; the commission's
    # key names no class, so it reads not even its own records (issue 13 item 2: a key reads
    # only what its scope names); the public and an unrelated subject see nothing
    assert seen == {"public": 0, "tax": 0, "agency": 1, "commission": 0, "auditor": 1, "subject": 0}
    assert get(labelled, "tax", ENTRIES)["total"] == 3


def test_reads_go_to_the_subjects_access_log(labelled: LiveApi) -> None:
    """A named caller's read is chained with its purpose; the public's is counted."""
    get(labelled, "agency", ENTRIES, purpose="tenant screening")
    get(labelled, "public", ENTRIES, purpose="tenant screening")
    log = get(labelled, "subject", f"/v1/subjects/{RIC}/access-log")
    read = [e for e in log["entries"] if e["action"] == "lists.entries"]
    assert (
        read
        and read[-1]["actor"].startswith("agency")
        and read[-1]["purpose"] == ("tenant screening")
    )
    assert "run 1" in read[-1]["result"]
    assert [r["actor"].split(":")[0] for r in log["public_reads"]] == ["public"]


def _plain(row: dict[str, Any]) -> dict[str, str]:
    """A row as CSV text has it."""

    def cell(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else str(value)

    return {k: cell(v) for k, v in row.items()}


def download(api: LiveApi, role: str, path: str, **params: Any) -> Any:
    with api.client(role) as client:
        return client.get(path, params=params)


@pytest.mark.parametrize("role", ["agency", "public"])
def test_list_exports_in_three_formats_have_the_same_rows(labelled: LiveApi, role: str) -> None:
    expected = get(labelled, role, ENTRIES)["entries"]
    path = f"/v1/exports/lists/{LIST}"
    as_csv = download(labelled, role, path, format="csv")
    as_jsonl = download(labelled, role, path, format="jsonl")
    as_parquet = download(labelled, role, path, format="parquet")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_jsonl.headers["content-type"] == "application/x-ndjson"
    assert as_parquet.headers["content-type"] == "application/vnd.apache.parquet"
    disposition = as_csv.headers["content-disposition"]
    assert disposition == f'attachment; filename="{LIST}-2019-06-01.csv"'
    assert as_csv.headers["x-label-run"] == "1"
    assert as_csv.content.startswith(b"\xef\xbb\xbf")  # the mark Excel reads UTF-8 by
    rows_csv = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    rows_jsonl = [json.loads(line) for line in as_jsonl.text.splitlines()]
    rows_parquet = pq.read_table(io.BytesIO(as_parquet.content)).to_pylist()
    assert rows_jsonl == expected
    assert rows_csv == [_plain(r) for r in expected] == [_plain(r) for r in rows_parquet]
    assert len(expected) == 3 and (role != "public" or expected[0]["subject"] == MASKED)


def test_a_wrong_format_is_422_in_the_error_format(labelled: LiveApi) -> None:
    response = download(labelled, "agency", f"/v1/exports/lists/{LIST}", format="xlsx")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["details"][0]["where"] == "query.format"
    unknown = download(labelled, "agency", "/v1/exports/lists/nope", format="csv")
    assert unknown.status_code == 404


def test_records_export_for_agencies_and_auditors(labelled: LiveApi) -> None:
    response = download(
        labelled, "agency", "/v1/exports/records", format="jsonl", category="court.enforcement_case"
    )
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert {r["doc_no"] for r in rows} == {"1", "2", "3"}
    assert rows[0]["fields"]["ground"] == "evades" and rows[0]["status"] == "active"
    table = pq.read_table(
        io.BytesIO(download(labelled, "auditor", "/v1/exports/records", format="parquet").content)
    )
    assert sorted(table.column("doc_no").to_pylist()) == ["1", "2", "3"]
    early = download(labelled, "auditor", "/v1/exports/records", as_of="2018-12-31")
    assert len(list(csv.DictReader(io.StringIO(early.text)))) == 2
    assert download(labelled, "public", "/v1/exports/records").status_code == 403
    assert download(labelled, "subject", "/v1/exports/records").status_code == 403
    bad = download(labelled, "auditor", "/v1/exports/records", category="no.such")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_category"


# -- the credit report, called directly ----------------------------------------------------


def _ingested(tmp_path: Path, store: Engine, book: Rulebook) -> Engine:
    path = write(tmp_path, "court.csv", case(), case(subject=USCC, doc="2"))
    assert ingest_file(store, book, path, "court").count("accepted") == 2
    return store


def test_credit_report_for_the_subject(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    engine = _ingested(tmp_path, store, book)
    me = Principal("k1", "subject", "Zhang San", subject=RIC)
    report = credit_report(engine, book, RIC, dt.date(2018, 6, 1), me, purpose="own check")
    assert report["subject"]["id"] == RIC and report["as_of"] == "2018-06-01"
    assert report["generated_at"] and report["pack_revisions"] == book.revisions()
    (entry,) = report["list_entries"]
    assert entry["active"] and "until 2020-01-10" in entry["in_plain_words"]
    assert "SPC Provisions on Announcing" in entry["in_plain_words"]
    flight = next(m for m in report["measures_in_force"] if "buy_flight_ticket" in m["actions"])
    assert flight["effect"] == "deny" and flight["until"] == "2020-01-10"
    (remedy,) = report["how_to_object_or_repair"]
    kinds = {s["kind"] for s in remedy["steps"]}
    assert {"objection", "review", "repair"} <= kinds
    review = next(s for s in remedy["steps"] if s["kind"] == "review")
    assert "15 calendar days" in review["in_plain_words"]
    with engine.connect() as db:
        logged = audit_entries(db, subject=RIC)
    assert logged[-1]["action"] == "subject.report" and logged[-1]["purpose"] == "own check"


def test_credit_report_for_the_public_masks_and_refuses_others(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    engine = _ingested(tmp_path, store, book)
    public = Principal("k2", "public", "portal")
    report = credit_report(engine, book, RIC, dt.date(2018, 6, 1), public)
    assert report["subject"]["id"] == MASKED and RIC not in json.dumps(report, ensure_ascii=False)
    assert report["list_entries"] and report["ratings"] == []
    organisation = credit_report(engine, book, USCC, dt.date(2018, 6, 1), public)
    assert organisation["subject"]["id"] == USCC
    other = Principal("k3", "subject", "Zhang San", subject=RIC)
    with pytest.raises(AccessDenied):
        credit_report(engine, book, USCC, dt.date(2018, 6, 1), other)
    quiet = credit_report(engine, book, RIC, dt.date(2021, 6, 1), public)
    assert "on no list" in quiet["summary"] and not quiet["measures_in_force"]


def test_odd_input_is_a_clear_4xx(labelled: LiveApi) -> None:
    with labelled.client("public") as client:
        nul = client.get(ENTRIES, params={"purpose": "screening\x00"})
        odd_list = client.get("/v1/lists/a%00%E2%80%AEb/entries")
        far = client.get(ENTRIES, params={"as_of": "9999-12-31", "page": 10**9, "page_size": 500})
        basis = client.get(ENTRIES, params={"basis": "guess"})
    assert nul.status_code == 422 and nul.json()["error"]["details"][0]["where"] == "query.purpose"
    assert odd_list.status_code == 404 and basis.status_code == 422
    assert far.status_code == 200 and far.json()["entries"] == [] and far.json()["total"] == 0


def test_credit_report_shows_nothing_derived_from_unreadable_records(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    org = "91110000L30P8774PN"
    path = tmp_path / "sta.csv"
    path.write_text(
        "subject,name,category,doc_no,decided_on,points,tax_year\n"
        f"{org},Hengda Trading,sta.credit_deduction,D-1,2019-04-15,11,2018\n",
        encoding="utf-8",
    )
    assert ingest_file(store, book, path, "sta").count("accepted") == 1
    scoped = Principal("k4", "agency", "court", agency="court", disclosures=frozenset({"public"}))
    hidden = credit_report(store, book, org, dt.date(2020, 1, 1), scoped)
    nobody = credit_report(store, book, "91350100M000100Y43", dt.date(2020, 1, 1), scoped)
    assert (hidden["records"], hidden["ratings"], hidden["measures_in_force"]) == ([], [], [])
    assert hidden["subject"] | {"id": None} == nobody["subject"] | {"id": None}
    auditor = credit_report(store, book, org, dt.date(2020, 1, 1), Principal("k5", "auditor", "a"))
    assert auditor["records"] and auditor["ratings"] and auditor["subject"]["known"]
