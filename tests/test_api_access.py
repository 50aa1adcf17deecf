"""Access control, table-driven: every route of the live OpenAPI document, every kind of caller.

The routes are read from ``/openapi.json``, so a route added later is covered the day it lands.
A route in ``TABLE`` must answer each caller with the status written there; any other route is
held to the generic rule: without a key or with a revoked key 401 (except ``/v1/health``),
a caller the route does not admit 403 in the error format, never a 5xx. Neither a 401 nor a
403 may tell whether a subject exists. Each module runs one live server per store (SQLite, and
PostgreSQL when SOCIALCREDIT_TEST_POSTGRES is set).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.keys import create_key, list_keys, revoke_key
from socialcredit.store.database import connect, migrate
from socialcredit.synth.people import make_ric
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, _postgres_schema
from tests.test_ingest import HEADER, case

DAY = "2018-06-01"
OTHER = make_ric("110105", dt.date(1990, 5, 5), 8)  # a person whose key reads RIC's file
_unknown = (make_ric("110105", dt.date(1980, 1, 1), n) for n in itertools.count(100))

# "stranger": a subject key of someone else (OTHER) asking about RIC's file.
CALLERS = ("agency", "public", "subject", "stranger", "auditor", "admin", "none", "revoked")
# fmt: off
TABLE: dict[tuple[str, str], tuple[int, ...]] = {
    #                                           agency public subject stranger auditor admin none revoked  # noqa: E501
    ("GET", "/v1/health"):                        (200, 200, 200, 200, 200, 200, 200, 200),
    ("POST", "/v1/decisions"):                    (200, 403, 200, 403, 200, 200, 401, 401),
    ("POST", "/v1/decisions/batch"):              (200, 200, 200, 200, 200, 200, 401, 401),
    ("POST", "/v1/records"):                      (200, 403, 403, 403, 403, 403, 401, 401),
    ("GET", "/v1/subjects/{subject_id}"):         (200, 200, 200, 403, 200, 200, 401, 401),
    ("GET", "/v1/subjects/{subject_id}/access-log"): (403, 403, 200, 403, 200, 200, 401, 401),
    ("GET", "/v1/feed"):                          (200, 200, 200, 200, 200, 200, 401, 401),
    ("GET", "/v1/audit/verify"):                  (403, 403, 403, 403, 200, 200, 401, 401),
}
# fmt: on
# In a batch each decision answers on its own: these callers get 200 with every item refused.
REFUSED_ITEMS = {("POST", "/v1/decisions/batch"): {"public", "stranger"}}
OPEN_ROUTES = {("GET", "/v1/health")}


@dataclass
class Spec:
    """The OpenAPI document, and real values for the parameters and fields it names (by name:
    ``record_id``, ``list_id``...) so that generic requests get past validation."""

    openapi: dict[str, Any]
    values: dict[str, Any] = field(default_factory=lambda: {"action": "buy_flight_ticket"})


@dataclass
class Live:
    api: LiveApi
    keys: dict[str, str]  # caller -> key ("none" has none)
    spec: Spec
    client: httpx.Client  # one for the module: a new httpx.Client costs ~0.1 s

    def send(self, caller: str, request: tuple[str, str, dict[str, Any]]) -> httpx.Response:
        method, url, kwargs = request
        key = self.keys.get(caller)
        headers = {
            **kwargs.pop("headers", {}),
            **({"Authorization": f"Bearer {key}"} if key else {}),
        }
        return self.client.request(method, url, headers=headers, **kwargs)


def caller_keys(api: LiveApi) -> dict[str, str]:
    keys = dict(api.keys)
    keys["stranger"] = create_key(api.engine, "subject", "Li Si", subject=OTHER)
    keys["revoked"] = create_key(api.engine, "admin", "former administrator")
    key_id = next(k["id"] for k in list_keys(api.engine) if k["name"] == "former administrator")
    assert revoke_key(api.engine, key_id)
    return keys


def _engine(kind: str, folder: Path) -> Iterator[Engine]:
    if kind == "postgresql":
        yield from _postgres_schema()
        return
    url = f"sqlite:///{folder / 'socialcredit.db'}"
    migrate(url)
    engine = connect(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, book: Rulebook
) -> Iterator[Live]:
    """One server per store for the module; RIC has a record, so his file exists."""
    for engine in _engine(request.param, tmp_path_factory.mktemp("access")):
        for api in serve(engine, book):
            with httpx.Client(base_url=api.url, timeout=30) as client:
                live = Live(api, caller_keys(api), Spec(client.get("/openapi.json").json()), client)
                done = live.send("agency", ("POST", "/v1/records", csv_body(RIC)))
                assert done.status_code == 200 and done.json()["accepted"] == 1
                discover(live)
                yield live


def csv_body(subject: str) -> dict[str, Any]:
    content = "\n".join([HEADER, case(subject=subject)]) + "\n"
    return {"content": content.encode(), "headers": {"Content-Type": "text/csv"}}


def discover(live: Live) -> None:
    """Real values: RIC's record, and one item id per collection (created by the POST of the
    collection where there is one, as the subject and then as the agency, else listed)."""
    file = live.send("auditor", ("GET", f"/v1/subjects/{RIC}", {"params": {"as_of": DAY}}))
    record = file.json()["records"][0]["id"]
    live.spec.values.update(record_id=record, record=record, reason="the debt was paid in full")
    for method, path, operation in routes(live.spec.openapi):
        if "{" in path or (method, path) in TABLE:
            continue
        for caller in ("subject", "agency") if method == "POST" else ("auditor",):
            response = live.send(caller, build(live.spec, method, path, operation, RIC))
            found = first_id(json_of(response)) if response.is_success else None
            if found is not None:
                live.spec.values.setdefault(path.rsplit("/", 1)[-1].rstrip("s") + "_id", found)


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def first_id(body: Any) -> Any:
    """The "id" of the body, or of the first item of a list in it."""
    if isinstance(body, dict) and "id" in body:
        return body["id"]
    values = body.values() if isinstance(body, dict) else body if isinstance(body, list) else []
    for value in values:
        if isinstance(value, list) and value and isinstance(value[0], dict) and "id" in value[0]:
            return value[0]["id"]
    return None


# --- requests built from the OpenAPI document ----------------------------------------------


def routes(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def resolve(schema: dict[str, Any], openapi: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = openapi["components"]["schemas"][name]
    return schema


def sample(spec: Spec, schema: dict[str, Any], name: str, subject: str) -> Any:
    """A small valid value for ``schema``; any field or parameter about a subject is ``subject``."""
    schema = resolve(schema, spec.openapi)
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        usable = [o for o in options if resolve(o, spec.openapi).get("type") != "null"]
        return sample(spec, usable[0], name, subject)
    if name in spec.values:
        return spec.values[name]
    if "subject" in name.lower():
        return subject
    if "enum" in schema or "const" in schema:
        return schema.get("enum", [schema.get("const")])[0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        wanted = set(schema.get("required", [])) | set(spec.values)
        wanted |= {k for k in props if "subject" in k}
        return {k: sample(spec, props[k], k, subject) for k in props if k in wanted}
    if kind == "array":
        return [sample(spec, schema.get("items", {}), name, subject)] * schema.get("minItems", 1)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") in ("date", "date-time"):
        return DAY if schema["format"] == "date" else f"{DAY}T00:00:00Z"
    return "x" * max(1, schema.get("minLength", 1))


def build(
    spec: Spec,
    method: str,
    path: str,
    operation: dict[str, Any],
    subject: str,
    overrides: dict[str, Any] | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """A request that the route would accept from a caller it admits, about ``subject``;
    ``overrides``: values for the named parameters and fields (sent even when optional)."""
    overrides = overrides or {}
    spec = Spec(spec.openapi, {**spec.values, **overrides})
    url, params = path, {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        value = sample(spec, parameter.get("schema", {}), name, subject)
        if where == "path":
            url = url.replace("{" + name + "}", quote(str(value), safe=""))
        elif where == "query" and (
            parameter.get("required") or "subject" in name or name in overrides
        ):
            params[name] = value
    kwargs: dict[str, Any] = {"params": params}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        kwargs["json"] = sample(spec, content["application/json"]["schema"], "", subject)
    elif "text/csv" in content:
        kwargs.update(csv_body(subject))
    elif content:
        raise AssertionError(f"{method} {path}: teach build() its media type {list(content)}")
    return method, url, kwargs


# --- judging a response ---------------------------------------------------------------------


def error_code(response: httpx.Response) -> str | None:
    """The error code of a 4xx in the error format; AssertionError when the format is wrong."""
    body = response.json()
    assert set(body) == {"error"}, f"not in the error format: {body}"
    assert {"code", "message", "details"} <= set(body["error"]), body
    return str(body["error"]["code"])


def judge(response: httpx.Response, expected: int | None, generic_401: bool) -> str | None:
    """What is wrong with ``response`` (None when nothing is)."""
    status = response.status_code
    if status >= 500:
        return f"{status} {response.text[:300]}"
    if expected is not None and status != expected:
        return f"expected {expected}, got {status} {response.text[:300]}"
    if expected is None and generic_401 and status != 401:
        return f"expected 401 without a valid key, got {status}"
    if status >= 400:
        try:
            code = error_code(response)
        except (AssertionError, ValueError) as error:
            return str(error)
        wanted = {401: "unauthorized", 403: "forbidden"}.get(status)
        if wanted and code != wanted:
            return f"{status} with code {code!r}, expected {wanted!r}"
    return None


def answer(live: Live, caller: str, method: str, path: str, subject: str) -> httpx.Response:
    operation = live.spec.openapi["paths"][path][method.lower()]
    return live.send(caller, build(live.spec, method, path, operation, subject))


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", list(TABLE), ids=" ".join)
def test_the_table(live: Live, route: tuple[str, str], caller: str) -> None:
    method, path = route
    if (
        path not in live.spec.openapi["paths"]
        or method.lower() not in live.spec.openapi["paths"][path]
    ):
        pytest.fail(f"{method} {path} is in the table but not in /openapi.json")
    expected = TABLE[route][CALLERS.index(caller)]
    response = answer(live, caller, method, path, RIC)
    problem = judge(response, expected, generic_401=False)
    assert problem is None, problem
    if caller in REFUSED_ITEMS.get(route, set()):
        assert {r["error"]["code"] for r in response.json()["results"]} == {"forbidden"}


@pytest.mark.parametrize("caller", CALLERS)
def test_every_other_route_follows_the_generic_rule(live: Live, caller: str) -> None:
    """Routes not (yet) in the table: 401 without a valid key, 403 in the error format, no 5xx."""
    problems = []
    for method, path, _ in routes(live.spec.openapi):
        if (method, path) in TABLE:
            continue
        generic_401 = caller in ("none", "revoked") and (method, path) not in OPEN_ROUTES
        problem = judge(answer(live, caller, method, path, RIC), None, generic_401)
        if problem:
            problems.append(f"{method} {path} as {caller}: {problem}")
    assert not problems, "\n".join(problems)


def outcome(response: httpx.Response) -> tuple[Any, ...] | None:
    """What a caller learns from an answer he is not entitled to: status, error code and
    message, and those of the refused items of a batch; None for a plain success."""
    body = json_of(response)
    if not response.is_success:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        return response.status_code, error.get("code"), error.get("message")
    items = body.get("results") if isinstance(body, dict) else None
    refused = [
        (r["error"]["code"], r["error"]["message"])
        for r in items or []
        if isinstance(r, dict) and r.get("error", {}).get("code") in ("unauthorized", "forbidden")
    ]
    return (response.status_code, *refused) if refused else None


def about_subjects(live: Live) -> list[tuple[str, str]]:
    """Routes whose path or JSON body names a subject."""
    found = []
    for method, path, operation in routes(live.spec.openapi):
        built = build(live.spec, method, path, operation, "MARKER")
        if "MARKER" in built[1] or "MARKER" in str(built[2].get("json")) + str(built[2]["params"]):
            found.append((method, path))
    return found


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "subject"])
def test_refusals_do_not_tell_whether_a_subject_exists(live: Live, caller: str) -> None:
    """Refused about RIC (who has a file), a caller gets exactly the answer he gets about a
    nobody: same status, code and message. Only a success about RIC may differ (the caller
    is entitled to what it shows)."""
    checked, problems = 0, []
    for method, path in about_subjects(live):
        known = outcome(answer(live, caller, method, path, RIC))
        if known is None:
            continue
        unknown = outcome(answer(live, caller, method, path, next(_unknown)))
        checked += 1
        if known != unknown:
            problems.append(f"{method} {path} as {caller}: {known} != {unknown}")
    assert not problems, "\n".join(problems)
    if caller in ("none", "revoked", "stranger", "public"):
        assert checked, f"no route refused {caller}: the comparison tested nothing"


def test_health_and_openapi_need_no_key(live: Live) -> None:
    assert live.send("none", ("GET", "/openapi.json", {})).status_code == 200
    assert live.send("revoked", ("GET", "/v1/health", {})).json()["status"] == "ok"


def _restricted_only_subject(live: Live) -> str:
    """An organisation whose only record is restricted (a tax credit deduction)."""
    org = "91110000L30P8774PN"
    scopes = {"categories": ["sta.credit_deduction"], "disclosures": ["restricted"]}
    tax = create_key(live.api.engine, "agency", "tax bureau", agency="sta", scopes=scopes)
    body = (
        "subject,name,category,doc_no,decided_on,points,tax_year\n"
        f"{org},Hengda Trading,sta.credit_deduction,D-1,2019-04-15,11,2018\n"
    )
    sent = live.client.post(
        "/v1/records",
        content=body,
        headers={"Content-Type": "text/csv", "Authorization": f"Bearer {tax}"},
    ).json()
    assert sent["rejected"] == 0, sent
    return org


def _file(live: Live, caller: str, subject: str) -> dict[str, Any]:
    found = live.send(
        caller, ("GET", f"/v1/subjects/{subject}", {"params": {"as_of": "2020-01-01"}})
    )
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


def test_the_public_cannot_tell_a_restricted_only_file_from_no_file(live: Live) -> None:
    """Found by this test: the public got known=true and the name of a subject whose only
    record is restricted, known=false and no name for a nobody."""
    org = _restricted_only_subject(live)
    hidden, nobody = _file(live, "public", org), _file(live, "public", "91350100M000100Y43")
    for body in (hidden, nobody):
        body["subject"].pop("id")
    assert hidden == nobody


def test_an_agency_sees_nothing_derived_from_records_it_may_not_read(live: Live) -> None:
    """Found by this test: an agency scoped to public and shared data got the tax-credit
    rating (B, 89 points) and the measures computed from a restricted deduction."""
    org = _restricted_only_subject(live)
    seen = _file(live, "agency", org)
    assert (seen["records"], seen["ratings"], seen["measures"]) == ([], [], [])
