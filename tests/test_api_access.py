"""Access control, table-driven: every route of the live OpenAPI document, every kind of caller.

The routes are read from ``/openapi.json``, so a route added later is covered the day it lands.
A route in ``TABLE`` must answer each caller with the status written there; any other route is
held to the generic rule: without a key or with a revoked key 401 (except ``/v1/health``),
a caller the route does not admit 403 in the error format, never a 5xx. Neither a 401 nor a
403 may tell whether a subject exists. Each module runs one live server per store (SQLite, and
PostgreSQL when SOCIALCREDIT_TEST_POSTGRES is set).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from tests.api_requests import (
    Live,
    _unknown,
    build,
    error_code,
    json_of,
    live_server,
    routes,
)
from tests.conftest import RIC

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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, book: Rulebook
) -> Iterator[Live]:
    """One server per store for the module; RIC has a record, so his file exists."""
    yield from live_server(request.param, tmp_path_factory.mktemp("access"), book)


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
