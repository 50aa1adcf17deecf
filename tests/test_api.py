"""The REST API against a live server on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from socialcredit.core.pack.model import Rulebook
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, USCC
from tests.test_ingest import HEADER, case


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def submit(api: LiveApi, *rows: str, role: str = "agency") -> dict:  # type: ignore[type-arg]
    body = "\n".join([HEADER, *rows]) + "\n"
    with api.client(role) as client:
        response = client.post("/v1/records", content=body, headers={"Content-Type": "text/csv"})
    return {"status": response.status_code, **response.json()}


def test_health_needs_no_key(api: LiveApi) -> None:
    with api.client() as client:
        assert client.get("/v1/health").json()["status"] == "ok"
        assert client.get("/openapi.json").status_code == 200


def test_missing_and_wrong_keys_are_401_in_the_error_format(api: LiveApi) -> None:
    with api.client() as client:
        missing = client.post("/v1/decisions", json={"subject": RIC, "action": "buy_flight_ticket"})
        wrong = client.get(f"/v1/subjects/{RIC}", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    assert wrong.status_code == 401 and set(wrong.json()["error"]) == {"code", "message", "details"}


def test_submit_decide_and_explain(api: LiveApi) -> None:
    report = submit(api, case(), case(subject="123", doc="2"))
    assert report["status"] == 200 and (report["accepted"], report["rejected"]) == (1, 1)
    request = {
        "subject": RIC,
        "action": "buy_flight_ticket",
        "as_of": "2018-06-01",
        "purpose": "ticket sale",
    }
    with api.client("agency") as client:
        decision = client.post("/v1/decisions", json=request).json()
        batch = client.post(
            "/v1/decisions/batch", json={"decisions": [request, {**request, "subject": "1"}]}
        )
    assert decision["effect"] == "deny" and decision["reasons"]
    assert {"subject", "action", "as_of", "effect", "reasons"} <= set(decision)
    results = batch.json()["results"]
    assert results[0]["effect"] == "deny" and results[1]["error"]["code"] == "invalid_identifier"


def test_only_an_agency_submits_and_only_its_categories(api: LiveApi) -> None:
    assert submit(api, case(), role="public")["status"] == 403
    registration = submit(api, case().replace("court.enforcement_case", "market.registration"))
    assert (
        "may not submit category 'market.registration'"
        in registration["rejections"][0]["reasons"][0]
    )


def test_each_caller_sees_only_what_it_may(api: LiveApi) -> None:
    submit(api, case())
    with api.client("public") as public, api.client("subject") as subject:
        seen = public.get(f"/v1/subjects/{RIC}", params={"as_of": "2018-06-01"}).json()
        own = subject.get(f"/v1/subjects/{RIC}", params={"as_of": "2018-06-01"})
        other = subject.get(f"/v1/subjects/{USCC}")
        log = subject.get(f"/v1/subjects/{RIC}/access-log").json()
    assert seen["subject"]["id"] == "110105********002X" and seen["entries"]
    assert own.status_code == 200 and own.json()["subject"]["id"] == RIC
    assert other.status_code == 403
    assert any(r["actor"].startswith("public") and r["reads"] >= 1 for r in log["public_reads"])


def test_feed_after_a_cursor(api: LiveApi) -> None:
    submit(api, case(), case(doc="2"))
    with api.client("agency") as client:
        first = client.get("/v1/feed", params={"after": 0, "limit": 1}).json()
        rest = client.get("/v1/feed", params={"after": first["next"]}).json()
    assert [e["kind"] for e in first["events"]] == ["record.accepted"]
    assert len(rest["events"]) == 1 and rest["events"][0]["id"] > first["next"] - 1


def test_bad_input_is_a_clear_4xx(api: LiveApi) -> None:
    with api.client("agency") as client:
        malformed = client.post(
            "/v1/decisions", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        unknown = client.post(
            "/v1/decisions", json={"subject": RIC, "action": "buy_flight_ticket", "x": 1}
        )
        action = client.post(
            "/v1/decisions", json={"subject": RIC, "action": "'; DROP TABLE records;--"}
        )
        media = client.post(
            "/v1/records", content=b"a", headers={"Content-Type": "application/pdf"}
        )
        big = client.post(
            "/v1/records", content=b"x" * 300_000, headers={"Content-Type": "text/csv"}
        )
    assert malformed.status_code == 422 and unknown.status_code == 422
    assert action.status_code == 422 and action.json()["error"]["code"] == "unknown_action"
    assert media.status_code == 415 and big.status_code == 413


def test_audit_chain_catches_altered_deleted_and_inserted_entries(api: LiveApi) -> None:
    submit(api, case())
    with api.client("agency") as client:
        for _ in range(3):
            client.post("/v1/decisions", json={"subject": RIC, "action": "buy_flight_ticket"})
    with api.client("auditor") as auditor:
        assert auditor.get("/v1/audit/verify").json()["intact"]
        with api.engine.begin() as db:
            db.execute(text("UPDATE audit_log SET result = 'allow' WHERE seq = 3"))
        altered = auditor.get("/v1/audit/verify").json()
        with api.engine.begin() as db:
            db.execute(text("DELETE FROM audit_log WHERE seq = 3"))
        deleted = auditor.get("/v1/audit/verify").json()
    assert any("entry 3: content altered" in p for p in altered["problems"])
    assert any("entry 4" in p for p in deleted["problems"]) and not deleted["intact"]


def test_an_inserted_entry_breaks_the_chain(api: LiveApi) -> None:
    with api.engine.begin() as db:
        row = db.execute(text("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")).mappings().one()
        forged = {**row, "seq": row["seq"] + 1, "prev_hash": "f" * 64, "result": "forged"}
        columns = ", ".join(forged)
        db.execute(
            text(
                f"INSERT INTO audit_log ({columns}) VALUES ({', '.join(':' + c for c in forged)})"
            ),
            {**forged, "revisions": "{}"},
        )
    with api.client("auditor") as auditor:
        problems = auditor.get("/v1/audit/verify").json()["problems"]
    assert any("not linked" in p for p in problems)


def test_a_disputed_record_is_marked_in_the_credit_file(api: LiveApi) -> None:
    submit(api, case())
    with api.client("subject") as subject:
        record = subject.get(f"/v1/subjects/{RIC}").json()["records"][0]
        assert record["disputed"] is False
        filed = subject.post("/v1/objections", json={"record_id": record["id"], "reason": "paid"})
        assert filed.status_code == 201, filed.text
        again = subject.get(f"/v1/subjects/{RIC}").json()["records"][0]
    assert again["disputed"] is True


def test_auditors_read_but_neither_decide_objections_nor_grant_repair(api: LiveApi) -> None:
    submit(api, case())
    with api.client("subject") as subject, api.client("auditor") as auditor:
        record = subject.get(f"/v1/subjects/{RIC}").json()["records"][0]["id"]
        filed = subject.post("/v1/objections", json={"record_id": record, "reason": "paid"}).json()
        decided = auditor.post(
            f"/v1/objections/{filed['id']}/outcome", json={"outcome": "corrected", "reason": "x"}
        )
        repaired = auditor.post(
            "/v1/repair", json={"subject": RIC, "record_id": record, "commitment_signed": True}
        )
        read = auditor.get(f"/v1/objections/{filed['id']}")
    assert (decided.status_code, repaired.status_code, read.status_code) == (403, 403, 200)


def test_the_openapi_document_declares_the_bearer_scheme(api: LiveApi) -> None:
    with api.client() as client:
        schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"


def test_the_openapi_document_declares_the_error_answers(api: LiveApi) -> None:
    with api.client() as client:
        spec = client.get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"error"}
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/") or path == "/v1/health":
            continue
        for method, operation in operations.items():
            declared = operation["responses"]
            assert {"401", "403", "422"} <= set(declared), (method, path)
            schema = declared["401"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
    assert {"413", "415"} <= set(spec["paths"]["/v1/records"]["post"]["responses"])
