"""Objections and credit repair against a live server, on SQLite and PostgreSQL.

Records are submitted through POST /v1/records with agency keys scoped to their categories;
the penalty records follow packs/cn-credit-repair/scenarios, dated relative to today because
a repair is decided as of the day it is applied for.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import chinese_calendar
import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import record_id
from socialcredit.services.access.keys import create_key
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, USCC
from tests.test_api import submit
from tests.test_ingest import case

TODAY = dt.date.today()
OTHER_PERSON = "310104198001010017"  # a valid resident ID number of someone else
PENALTY = "admin.penalty_decision"
ABNORMAL = "samr.abnormal_operations_listing"
COURT = "court.enforcement_case"


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    for live in serve(store, book):
        scoped = {"disclosures": ["public", "shared"], "actions": ["*"]}
        live.keys |= {
            "samr": create_key(
                store,
                "agency",
                "market regulator",
                agency="samr",
                scopes={**scoped, "categories": [ABNORMAL, PENALTY]},
            ),
            "locgov": create_key(
                store,
                "agency",
                "district government",
                agency="local-government",
                scopes={**scoped, "categories": [PENALTY]},
            ),
            "org": create_key(store, "subject", "the company itself", subject=USCC),
        }
        yield live


def submit_jsonl(api: LiveApi, role: str, *rows: dict[str, Any]) -> dict[str, Any]:
    body = "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows) + "\n"
    with api.client(role) as client:
        response = client.post(
            "/v1/records", content=body.encode(), headers={"Content-Type": "application/x-ndjson"}
        )
    report: dict[str, Any] = response.json()
    assert response.status_code == 200 and report["rejected"] == 0, report
    return report


def penalty(doc: str, published: dt.date, performed: dt.date | None = None) -> dict[str, Any]:
    """A general-tier fine on the company, as in scenario 07 of cn-credit-repair."""
    row: dict[str, Any] = {
        "subject": USCC,
        "name": "福州测试有限公司",
        "category": PENALTY,
        "doc_no": doc,
        "decided_on": published - dt.timedelta(days=3),
        "fields": {
            "penalty_type": "fine",
            "tier": "general",
            "fine_amount": 50000,
            "published_on": published,
        },
    }
    if performed is not None:
        row |= {"status": "performed", "status_date": performed}
    return row


def three_months_after(day: dt.date) -> dt.date:
    month = day.month + 2
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def workdays_after(start: dt.date, count: int) -> dt.date:
    """Independent count: the official calendar, the start day not counted."""
    day = start
    while count:
        day += dt.timedelta(days=1)
        count -= int(chinese_calendar.is_workday(day))
    return day


def test_review_deadline_counts_working_days_across_national_day(api: LiveApi) -> None:
    listing = {
        "subject": USCC,
        "name": "福州测试有限公司",
        "category": ABNORMAL,
        "doc_no": "闽市监异〔2024〕7号",
        "decided_on": "2024-09-10",
        "fields": {"cause": "unreachable_at_registered_address"},
    }
    submit_jsonl(api, "samr", listing)
    court = case(doc="(2024)京01执9号", decided="2024-09-20")
    assert submit(api, court)["accepted"] == 1
    objection = {
        "category": ABNORMAL,
        "doc_no": "闽市监异〔2024〕7号",
        "agency": "samr",
        "reason": "the company was reachable",
        "filed_on": "2024-09-27",
    }
    with api.client("samr") as samr, api.client("agency") as court_agency:
        working = samr.post("/v1/objections", json=objection)
        calendar = court_agency.post(
            "/v1/objections",
            json={
                "category": COURT,
                "doc_no": "(2024)京01执9号",
                "agency": "court",
                "reason": "paid in full",
                "filed_on": "2024-09-27",
            },
        )
    assert working.status_code == 201, working.text
    review = working.json()["review"]
    expected = workdays_after(dt.date(2024, 9, 27), 20)
    assert review["due_on"] == expected.isoformat() == "2024-10-30"
    assert review["exact"] is True and review["follows"]["day_kind"] == "working"
    weekdays_only = dt.date(2024, 10, 25)  # 20 Mondays-to-Fridays, as if no holiday
    assert expected != weekdays_only
    assert calendar.status_code == 201, calendar.text
    court_review = calendar.json()["review"]
    assert court_review["due_on"] == "2024-10-12" and court_review["exact"] is True
    assert court_review["follows"]["step"] == "review-of-the-application"


def test_objection_decided_fed_and_audited(api: LiveApi) -> None:
    decided = (TODAY - dt.timedelta(days=60)).isoformat()
    assert submit(api, case(doc="(2026)京01执5号", decided=decided))["accepted"] == 1
    flight = {"subject": RIC, "action": "buy_flight_ticket"}
    with api.client("subject") as subject, api.client("agency") as court:
        assert court.post("/v1/decisions", json=flight).json()["effect"] == "deny"
        filed = subject.post(
            "/v1/objections",
            json={
                "category": COURT,
                "doc_no": "(2026)京01执5号",
                "agency": "court",
                "reason": "the debt was paid before the listing",
            },
        )
        assert filed.status_code == 201, filed.text
        objection = filed.json()
        assert objection["status"] == "open" and objection["disputed"] is True
        assert objection["review"]["due_on"] == (TODAY + dt.timedelta(days=15)).isoformat()
        mine = subject.get("/v1/objections").json()["objections"]
        assert [o["id"] for o in mine] == [objection["id"]]
        again = subject.post(
            "/v1/objections", json={"record_id": objection["record"]["id"], "reason": "again"}
        )
        assert again.status_code == 409
        path = f"/v1/objections/{objection['id']}/outcome"
        corrected = {"outcome": "corrected", "reason": "payment receipt of 2026-01-05"}
        assert subject.post(path, json=corrected).status_code == 403
        with api.client("samr") as other_agency:
            assert other_agency.post(path, json=corrected).status_code == 403
            assert other_agency.get(f"/v1/objections/{objection['id']}").status_code == 403
        decided_now = court.post(path, json=corrected)
        assert decided_now.status_code == 200, decided_now.text
        assert decided_now.json()["status"] == "corrected"
        assert decided_now.json()["disputed"] is False
        assert court.post(path, json={"outcome": "upheld", "reason": "x"}).status_code == 409
        assert court.post("/v1/decisions", json=flight).json()["effect"] == "allow"
        own_file = subject.get(f"/v1/subjects/{RIC}").json()
        assert [r["status"] for r in own_file["records"]] == ["corrected"]
        kinds = {e["kind"] for e in subject.get("/v1/feed").json()["events"]}
        court_kinds = {e["kind"] for e in court.get("/v1/feed").json()["events"]}
    # objection events are restricted: the subject reads them in his feed; the court's key,
    # scoped to public and shared, does not (it reads its objections at /v1/objections)
    assert {"objection.filed", "objection.decided"} <= kinds
    assert not {"objection.filed", "objection.decided"} & court_kinds
    with api.client("public") as public, api.client("samr") as other_agency:
        public_kinds = {e["kind"] for e in public.get("/v1/feed").json()["events"]}
        other_kinds = {e["kind"] for e in other_agency.get("/v1/feed").json()["events"]}
        assert public.get("/v1/objections").status_code == 403
    assert not {"objection.filed", "objection.decided"} & (public_kinds | other_kinds)
    with api.client("auditor") as auditor:
        log = auditor.get(f"/v1/subjects/{RIC}/access-log").json()["entries"]
        assert auditor.get("/v1/audit/verify").json()["intact"]
    actions = [e["action"] for e in log]
    assert {"objection.file", "objection.decide", "objection.read"} <= set(actions)


def test_a_subject_may_not_object_to_another_subjects_record(api: LiveApi) -> None:
    assert submit(api, case(subject=OTHER_PERSON, doc="(2026)沪01执3号"))["accepted"] == 1
    by_source = {
        "category": COURT,
        "doc_no": "(2026)沪01执3号",
        "agency": "court",
        "reason": "not mine",
    }
    with api.client("subject") as subject, api.client("public") as public:
        other = subject.post("/v1/objections", json=by_source)
        missing = subject.post("/v1/objections", json={**by_source, "doc_no": "none"})
        anonymous = public.post("/v1/objections", json=by_source)
        listing = subject.get("/v1/objections", params={"subject": OTHER_PERSON})
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    assert missing.status_code == 403 and missing.json() == other.json()
    assert anonymous.status_code == 403 and listing.status_code == 403


def test_bad_objection_and_repair_requests_are_clear_4xx(api: LiveApi) -> None:
    with api.client("subject") as subject:
        both = subject.post(
            "/v1/objections", json={"record_id": "ab", "category": "c", "reason": "x"}
        )
        nul = subject.post("/v1/objections", json={"record_id": "ab", "reason": "a\x00b"})
        blank = subject.post("/v1/objections", json={"record_id": "ab", "reason": "  "})
        huge = subject.get(f"/v1/objections/{2**40}")
        outcome = subject.post("/v1/objections/1/outcome", json={"outcome": "maybe", "reason": "x"})
        backdated = subject.post(
            "/v1/repair", json={"subject": RIC, "record_id": "ab", "applied_on": "2020-01-01"}
        )
        bad_id = subject.post("/v1/repair", json={"subject": "123", "record_id": "ab"})
        surrogate = subject.post(
            "/v1/objections",
            content=b'{"record_id": "ab", "reason": "\\ud800"}',
            headers={"Content-Type": "application/json"},
        )
    for response in (both, nul, blank, huge, outcome, surrogate):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_request"
    assert backdated.status_code == 422 and bad_id.status_code == 422


def test_repair_refused_before_the_minimum_period_and_approved_after(api: LiveApi) -> None:
    days = [TODAY - dt.timedelta(days=n) for n in (60, 50, 130, 100)]
    submit_jsonl(api, "locgov", penalty("早罚1号", *days[:2]), penalty("晚罚2号", *days[2:]))
    early_id = record_id(PENALTY, "local-government", "早罚1号")
    late_id = record_id(PENALTY, "local-government", "晚罚2号")
    application = {"subject": USCC, "commitment_signed": True}
    with api.client("org") as org:
        refused = org.post("/v1/repair", json={**application, "record_id": early_id})
        uncommitted = org.post("/v1/repair", json={"subject": USCC, "record_id": late_id})
        before = org.get(f"/v1/subjects/{USCC}").json()
        approved = org.post("/v1/repair", json={**application, "record_id": late_id})
        after = org.get(f"/v1/subjects/{USCC}").json()
        feed = {e["kind"] for e in org.get("/v1/feed").json()["events"]}
    assert refused.status_code == 201 and refused.json()["outcome"] == "refused"
    # the general tier's minimum period, counted from the decision (three days before
    # publication in penalty()): the 2026 measures count from the finding document's date
    minimum = three_months_after(days[0] - dt.timedelta(days=3)).isoformat()
    assert any(
        "minimum publication period not served" in r and f"from {minimum}" in r
        for r in refused.json()["reasons"]
    )
    assert any("no credit commitment" in r for r in uncommitted.json()["reasons"])
    assert approved.json()["outcome"] == "approved", approved.text
    assert approved.json()["publication_ends"] == TODAY.isoformat()
    assert approved.json()["lists"][0]["removal"] == "credit-repair"

    def entry(file: dict[str, Any], rid: str) -> dict[str, Any]:
        return next(e for e in file["entries"] if e["records"][0]["id"] == rid)

    assert entry(before, late_id)["active"] is True
    assert entry(after, late_id)["active"] is False
    assert entry(after, late_id)["removed_by"] == "credit-repair"
    assert entry(after, early_id)["active"] is True
    repaired = next(r for r in after["records"] if r["id"] == late_id)
    assert repaired["status"] == "repaired"
    assert repaired["fields"]["repair_applied_on"] == TODAY.isoformat()
    assert "repair.decided" in feed
    with api.client("auditor") as auditor:
        actions = [
            e["action"] for e in auditor.get(f"/v1/subjects/{USCC}/access-log").json()["entries"]
        ]
        assert auditor.get(f"/v1/repair/{approved.json()['id']}").json()["outcome"] == "approved"
    assert actions.count("repair.apply") == 3


def test_repair_needs_the_obligations_performed(api: LiveApi) -> None:
    submit_jsonl(api, "locgov", penalty("未履行3号", TODAY - dt.timedelta(days=130)))
    rid = record_id(PENALTY, "local-government", "未履行3号")
    application = {"subject": USCC, "record_id": rid, "commitment_signed": True}
    performed = (TODAY - dt.timedelta(days=5)).isoformat()
    with api.client("org") as org, api.client("samr") as other_agency:
        unperformed = org.post("/v1/repair", json=application)
        assert other_agency.post("/v1/repair", json=application).status_code == 403
        approved = org.post(
            "/v1/repair", json={**application, "obligations_performed_on": performed}
        )
        record = next(
            r for r in org.get(f"/v1/subjects/{USCC}").json()["records"] if r["id"] == rid
        )
    assert any("obligations not performed" in r for r in unperformed.json()["reasons"])
    assert approved.json()["outcome"] == "approved", approved.text
    assert record["status"] == "repaired" and record["fields"]["credit_commitment_on"]


def test_the_source_court_grants_early_deletion_and_decisions_follow_at_once(api: LiveApi) -> None:
    decided = (TODAY - dt.timedelta(days=60)).isoformat()
    assert submit(api, case(doc="(2026)京01执8号", decided=decided))["accepted"] == 1
    flight = {"subject": RIC, "action": "buy_flight_ticket"}
    with api.client("agency") as court, api.client("subject") as subject:
        application = {"subject": RIC, "record_id": record_id(COURT, "court", "(2026)京01执8号")}
        assert court.post("/v1/decisions", json=flight).json()["effect"] == "deny"
        own = subject.post("/v1/repair", json=application).json()
        with api.client("locgov") as other_agency, api.client("public") as public:
            assert other_agency.post("/v1/repair", json=application).status_code == 403
            assert public.post("/v1/repair", json=application).status_code == 403
        granted = court.post("/v1/repair", json=application).json()
        effect = court.post("/v1/decisions", json=flight).json()["effect"]
    assert own["outcome"] == "refused" and "source agency (court)" in own["reasons"][0]
    assert granted["outcome"] == "approved" and granted["route"] == "status"
    assert granted["lists"][0] == {
        "list": "dishonest-judgment-debtors",
        "pack": "cn-judgment-defaulters",
        "stops_on": TODAY.isoformat(),
        "removal": "early-deletion",
        "reasons": [],
    }
    assert effect == "allow"
