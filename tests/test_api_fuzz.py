"""Bad input never gets a 500: schemathesis over the live OpenAPI document, hostile text in
every text field of every route, and hand-made malformed bodies.

Every 4xx must be in the error format, and a refused request must write nothing (the data
tables keep their row counts). The schemathesis run is on SQLite only (one store, bounded:
25 derandomized examples per operation and key); the rest runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import func, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.store import tables as t
from socialcredit.synth.people import make_ric
from tests.api_requests import (
    Live,
    Spec,
    build,
    error_code,
    live_server,
    resolve,
    routes,
)
from tests.conftest import RIC
from tests.test_ingest import HEADER, case

CSV = {"Content-Type": "text/csv"}
JSONL = {"Content-Type": "application/x-ndjson"}
DATA_TABLES = (t.batches, t.subjects, t.records, t.record_status, t.relations, t.events)


@pytest.fixture(scope="module")
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, book: Rulebook
) -> Iterator[Live]:
    """A live server on the store named by the (indirect) parameter; RIC has a record."""
    yield from live_server(request.param, tmp_path_factory.mktemp("fuzz"), book)


BOTH = ["sqlite", "postgresql"]


def counts(live: Live) -> dict[str, int]:
    with live.api.engine.connect() as db:
        return {
            table.name: int(db.execute(select(func.count()).select_from(table)).scalar_one())
            for table in DATA_TABLES
        }


def problem_with(response: httpx.Response) -> str | None:
    """None when the answer is a success or a 4xx in the error format."""
    if response.status_code >= 500:
        return f"{response.status_code} {response.text[:200]}"
    if response.status_code >= 400:
        try:
            error_code(response)
        except (AssertionError, ValueError) as error:
            return f"{response.status_code}: {error}"
    return None


# --- schemathesis ---------------------------------------------------------------------------


@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ["agency", "auditor"])
def test_schemathesis_finds_no_server_error(served: Live, role: str) -> None:
    """Positive and negative cases for every operation; not_a_server_error, the documented
    response schemas, and the error format for every 4xx."""
    schema = schemathesis.openapi.from_url(f"{served.api.url}/openapi.json")
    headers = {"Authorization": f"Bearer {served.keys[role]}"}
    failures = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"an operation of /openapi.json is not valid: {result.err()}")
            continue
        operation = result.ok()
        cases = st.one_of(
            *(operation.as_strategy(generation_mode=m, headers=headers) for m in GenerationMode)
        )

        @given(case=cases)
        @settings(
            max_examples=25,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: it would cost minutes
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call(headers=headers, timeout=30)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )
            assert problem_with(response) is None, problem_with(response)

        try:
            check()
        except Exception as error:  # every operation runs; the failures are reported together
            failures.append(f"{operation.label} as {role}: {str(error)[:2000]}")
    assert not failures, "\n\n".join(failures)


# --- hostile text in every text field --------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE records; --",
    '" OR "1"="1',
    "<script>alert(1)</script>",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}{% raw %}",
    "../../../../etc/passwd",
    "%00%27%22%ff",
    "\u202e\u200b\u200d\ufeff\u2028",  # bidi override, zero-width, BOM, line separator
    "e\u0301\u0308🙂👨‍👩‍👧𠜎",  # combining marks, an emoji sequence, an astral CJK character
    "ＦＵＬＬ　ｗｉｄｔｈ１２３",
    "\t\r\n ",
    "x" * 5000,
]


def text_fields(spec: Spec, operation: dict[str, Any]) -> list[str]:
    """The names of the free-text query and path parameters and JSON body fields."""

    def is_text(schema: dict[str, Any]) -> bool:
        schema = resolve(schema, spec.openapi)
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            return any(is_text(o) for o in options)
        return schema.get("type") == "string" and "enum" not in schema and "format" not in schema

    names = [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] in ("query", "path") and is_text(p.get("schema", {}))
    ]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        properties = resolve(body["schema"], spec.openapi).get("properties", {})
        names += [name for name, schema in properties.items() if is_text(schema)]
    return names


def admitted(live: Live, method: str, path: str, operation: dict[str, Any]) -> str | None:
    """A caller the route answers with a success, so that hostile text gets past the keys."""
    for caller in ("agency", "subject", "auditor"):
        response = live.send(caller, build(live.spec, method, path, operation, RIC))
        if response.is_success:
            return caller
    return None


def hostile_requests(live: Live, values: list[str]) -> list[str]:
    """Each value in each text field of each route; the problems found."""
    problems, sent = [], 0
    for method, path, operation in routes(live.spec.openapi):
        caller = admitted(live, method, path, operation)
        if caller is None:
            continue
        for name in text_fields(live.spec, operation):
            for value in values:
                request = build(live.spec, method, path, operation, RIC, {name: value})
                before = counts(live)
                response = live.send(caller, request)
                sent += 1
                problem = problem_with(response)
                if not problem and not response.is_success and counts(live) != before:
                    problem = f"{response.status_code} but the data tables changed"
                if problem:
                    problems.append(f"{method} {path} {name}={value[:40]!r} as {caller}: {problem}")
    assert sent >= 10 * len(values), f"only {sent} hostile requests were sent"
    return problems


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_hostile_text_in_every_field_is_a_clear_answer(served: Live) -> None:
    problems = hostile_requests(served, HOSTILE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_a_nul_character_in_a_text_field_is_a_clear_answer(served: Live) -> None:
    """Found by this test: on PostgreSQL a NUL in free text (a decision's purpose, a read's
    purpose, a CSV doc_no) was a 500 (text fields cannot contain NUL bytes)."""
    problems = hostile_requests(served, ["a\x00b"])
    assert not problems, "\n".join(problems)


def _csv_with(doc: str, name: str) -> str:
    """RIC's enforcement case with that document number and name, quoted as CSV needs."""
    fields = case(doc="placeholder").split(",")
    fields[1], fields[3] = name, doc
    out = io.StringIO()
    csv.writer(out, lineterminator="", quoting=csv.QUOTE_ALL).writerow(fields)
    return out.getvalue()


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_hostile_text_is_kept_as_data(served: Live) -> None:
    """What is accepted comes back as it was sent (purposes in the access log, document
    numbers in the credit file); what is refused is refused clearly."""
    kept = []
    for purpose in HOSTILE:
        request = {"json": {"subject": RIC, "action": "buy_flight_ticket", "purpose": purpose}}
        response = served.send("agency", ("POST", "/v1/decisions", request))
        assert problem_with(response) is None, problem_with(response)
        kept += [purpose] if response.is_success else []
    log = served.send("auditor", ("GET", f"/v1/subjects/{RIC}/access-log", {})).json()
    assert kept and set(kept) <= {e["purpose"] for e in log["entries"]}
    docs = {f"{n}-{v}" for n, v in enumerate(HOSTILE)}
    body = "\n".join([HEADER, *(_csv_with(doc, doc[2:]) for doc in docs)]) + "\n"
    sent = served.send(
        "agency", ("POST", "/v1/records", {"content": body.encode(), "headers": CSV})
    )
    report = sent.json()
    assert report["accepted"] + report["rejected"] == len(docs), report
    file = served.send("auditor", ("GET", f"/v1/subjects/{RIC}", {})).json()
    stored = {r["doc_no"] for r in file["records"] if r["doc_no"][:2] in {d[:2] for d in docs}}
    sent_docs = {doc.strip() for doc in docs}  # ingest trims the whitespace around a value
    assert report["accepted"] > 0 and stored <= sent_docs and len(stored) == report["accepted"]


# --- hand-made malformed bodies ---------------------------------------------------------------


def _csv(*rows: str) -> dict[str, Any]:
    return {"content": ("\n".join([HEADER, *rows]) + "\n").encode(), "headers": CSV}


def _json(raw: bytes) -> dict[str, Any]:
    return {"content": raw, "headers": {"Content-Type": "application/json"}}


def _chunks() -> Iterator[bytes]:
    for _ in range(300):
        yield b"x" * 1000


DECIDE = b'{"subject": "%s", "action": "buy_flight_ticket"' % RIC.encode()
# id, method, path, request, the statuses that are a clear answer
MALFORMED: list[tuple[str, str, str, dict[str, Any], set[int]]] = [
    ("truncated JSON", "POST", "/v1/decisions", _json(DECIDE), {422}),
    ("JSON null", "POST", "/v1/decisions", _json(b"null"), {422}),
    ("JSON list", "POST", "/v1/decisions", _json(b"[1, 2]"), {422}),
    ("not UTF-8 JSON", "POST", "/v1/decisions", _json(b'{"subject": "\xff\xfe"}'), {400, 422}),
    ("lone surrogate", "POST", "/v1/decisions", _json(DECIDE + b', "purpose": "\\ud800"}'), {422}),
    ("deep JSON", "POST", "/v1/decisions", _json(b"[" * 50_000 + b"]" * 50_000), {400, 422}),
    ("huge number", "POST", "/v1/decisions", _json(DECIDE + b', "as_of": 1e999}'), {422}),
    ("unknown field", "POST", "/v1/decisions", _json(DECIDE + b', "admin": true}'), {422}),
    ("no date", "POST", "/v1/decisions", _json(DECIDE + b', "as_of": "2018-02-30"}'), {422}),
    ("empty batch", "POST", "/v1/decisions/batch", {"json": {"decisions": []}}, {422}),
    (
        "PDF",
        "POST",
        "/v1/records",
        {"content": b"%PDF-1.4", "headers": {"Content-Type": "application/pdf"}},
        {415},
    ),
    ("too large", "POST", "/v1/records", {"content": b"x" * 300_000, "headers": CSV}, {413}),
    ("too large, chunked", "POST", "/v1/records", {"content": _chunks, "headers": CSV}, {413}),
    (
        "not UTF-8 CSV",
        "POST",
        "/v1/records",
        {"content": b"\xff\xfe\x00a,b\n\x80", "headers": CSV},
        {422},
    ),
    (
        "GB18030 CSV",
        "POST",
        "/v1/records",
        {"content": HEADER.encode() + "\n张三".encode("gb18030"), "headers": CSV},
        {422},
    ),
    ("CSV, open quote", "POST", "/v1/records", _csv('"unterminated,' + case(doc="q")), {200, 422}),
    (
        "CSV, two columns",
        "POST",
        "/v1/records",
        {"content": b"subject,category\n1,2\n", "headers": CSV},
        {200, 422},
    ),
    (
        "CSV, full-width id",
        "POST",
        "/v1/records",
        _csv(case(subject="１１０１０５１９４９１２３１００２Ｘ", doc="fw")),
        {200},
    ),
    (
        "JSONL, not objects",
        "POST",
        "/v1/records",
        {"content": b'[1]\n"x"\n{bad\n', "headers": JSONL},
        {200, 422},
    ),
    ("bad id", "GET", "/v1/subjects/110105194912310021", {}, {422}),
    ("bad id, NUL", "GET", "/v1/subjects/%00", {}, {422}),
    ("bad id, bytes", "GET", "/v1/subjects/%FF%FE", {}, {422}),
    ("feed cursor -1", "GET", "/v1/feed", {"params": {"after": -1}}, {422}),
    ("feed cursor text", "GET", "/v1/feed", {"params": {"after": "x"}}, {422}),
    ("feed limit 0", "GET", "/v1/feed", {"params": {"limit": 0}}, {422}),
]


@pytest.mark.parametrize("served", BOTH, indirect=True)
@pytest.mark.parametrize(
    ("method", "path", "request_", "clear"),
    [m[1:] for m in MALFORMED],
    ids=[m[0] for m in MALFORMED],
)
def test_malformed_input_is_a_clear_4xx_and_writes_nothing(
    served: Live, method: str, path: str, request_: dict[str, Any], clear: set[int]
) -> None:
    before = counts(served)
    request_ = {k: v() if callable(v) else v for k, v in request_.items()}
    response = served.send("agency", (method, path, request_))
    assert response.status_code in clear, response.text[:300]
    assert problem_with(response) is None, problem_with(response)
    if not response.is_success:
        assert counts(served) == before
    elif path == "/v1/records":
        assert response.json()["accepted"] == 0, response.text


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_deeply_nested_json_lines_are_a_clear_answer(served: Live) -> None:
    """Found by this test: a JSON line of 50000 nested arrays was a 500 (RecursionError)."""
    before = counts(served)
    deep = {"content": b"[" * 50_000 + b"]" * 50_000 + b"\n", "headers": JSONL}
    response = served.send("agency", ("POST", "/v1/records", deep))
    assert problem_with(response) is None, problem_with(response)
    assert counts(served) == before or response.is_success


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_an_oversized_csv_field_is_a_clear_answer(served: Live) -> None:
    """Found by this test: a CSV field over 131072 characters was a 500 (_csv.Error)."""
    before = counts(served)
    response = served.send("agency", ("POST", "/v1/records", _csv(case(doc="x" * 150_000))))
    assert problem_with(response) is None, problem_with(response)
    assert counts(served) == before or response.is_success


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_a_feed_cursor_beyond_32_bits_is_a_clear_answer(served: Live) -> None:
    """Found by this test: on PostgreSQL after=2**31 was a 500 (events.id is 32-bit)."""
    response = served.send("agency", ("GET", "/v1/feed", {"params": {"after": 2**31}}))
    assert problem_with(response) is None, problem_with(response)


@pytest.mark.parametrize("served", BOTH, indirect=True)
def test_a_record_at_the_end_of_the_calendar_breaks_no_decision(served: Live) -> None:
    """Found by this test: a record decided on 9999-12-30 was accepted, and a decision as
    of 9999-12-31 was a 500 (ValueError: year 10001 is out of range)."""
    late = make_ric("110105", dt.date(1970, 7, 7), 9)  # his own file: other tests use RIC
    record = case(subject=late, doc="far", decided="9999-12-30")
    sent = served.send("agency", ("POST", "/v1/records", _csv(record)))
    assert problem_with(sent) is None, sent.text  # accepted, or refused with a reason
    day = {"subject": late, "action": "buy_flight_ticket", "as_of": "9999-12-31"}
    decided = served.send("agency", ("POST", "/v1/decisions", {"json": day}))
    read = served.send(
        "agency", ("GET", f"/v1/subjects/{late}", {"params": {"as_of": day["as_of"]}})
    )
    assert (problem_with(decided), problem_with(read)) == (None, None)


@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
def test_error_messages_name_no_server_file(served: Live) -> None:
    """Found by this test: a non-UTF-8 CSV was answered with the path of a temporary file."""
    response = served.send("agency", ("POST", "/v1/records", {"content": b"\xff", "headers": CSV}))
    assert "/tmp" not in response.json()["error"]["message"]
