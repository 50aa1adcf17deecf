"""Role x operation x disclosure class (issue 13): every GET operation of the OpenAPI document,
called by every role against a store holding records of every disclosure class, answers no
data of a class the role may not read.

The operations come from docs/openapi.json (kept equal to the application's by
tests/test_openapi_snapshot.py), so an operation added later is covered the day it lands.
Each record's document number is a marker of its class (``tests/exposure.py``); an answer
that carries a marker its caller may not read (by ``exposure.may_read``, written out here
independently of ``Principal.may_read``) fails. Every path parameter takes each of several
real values (subjects holding records of each class, every list with entries, an objection
and a repair), enumerated query parameters take each of their values, and a cursor or page
is followed to its end.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from socialcredit.core.pack.model import Rulebook
from tests.conftest import REPO
from tests.exposure import AS_OF, MARKER, Marked, body_text, marked_nation, may_read, url_path

OPENAPI = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))
GETS = sorted(
    (path, operation)
    for path, item in OPENAPI["paths"].items()
    for method, operation in item.items()
    if method == "get"
)
ROLES = ("anonymous", "public", "sta-none", "sta-public", "sta-shared", "sta-restricted",
         "subject", "auditor", "admin")  # fmt: skip
CHECKED: list[tuple[str, str, int, int]] = []  # path, role, answers, markers seen


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> Iterator[Marked]:
    for found in marked_nation(tmp_path_factory.mktemp("matrix"), book):
        found.values = path_values(found)
        yield found


@pytest.fixture(scope="module", autouse=True)
def summary() -> Iterator[None]:
    """Print what was checked (with ``-s``): operations x roles, answers, markers seen."""
    yield
    answers = sum(c for _, _, c, _ in CHECKED)
    seen = sum(s for _, _, _, s in CHECKED)
    pairs = len({(p, r) for p, r, _, _ in CHECKED})
    print(f"\n{pairs} operation x role pairs, {answers} answers, {seen} markers judged")


def path_values(marked: Marked) -> dict[str, list[Any]]:
    """Real values for each path parameter: subjects holding records of each class (the
    subject key's own first), every list with entries in the run, an objection, a repair."""
    by_class: dict[str, list[str]] = {}
    for disclosure, subject in marked.markers.values():
        by_class.setdefault(disclosure, [])
        if subject not in by_class[disclosure]:
            by_class[disclosure].append(subject)
    subjects = [marked.subject] + [by_class[c][i] for c in sorted(by_class) for i in (0, 1)]
    with marked.engine.connect() as db:
        lists = [r[0] for r in db.execute(text("SELECT DISTINCT list_id FROM list_entries"))]
    objection, repair = _objection_and_repair(marked)
    return {
        "subject_id": list(dict.fromkeys(subjects)),
        "list_id": sorted(lists),
        "objection_id": [objection],
        "repair_id": [repair],
    }


def _objection_and_repair(marked: Marked) -> tuple[int, int]:
    """An objection and a repair application of the subject key, on his own records."""
    with marked.client("subject") as client:
        file = client.get(f"/v1/subjects/{marked.subject}", params={"as_of": str(AS_OF)}).json()
        restricted = [r for r in file["records"] if r["doc_no"].startswith("MKrestricted")]
        public = [r for r in file["records"] if r["doc_no"].startswith("MKpublic")]
        objection = client.post(
            "/v1/objections", json={"record_id": restricted[0]["id"], "reason": "not mine"}
        )
        repair = client.post(
            "/v1/repair",
            json={
                "subject": marked.subject,
                "record_id": public[0]["id"],
                "commitment_signed": True,
            },
        )
    assert objection.status_code == 201, objection.text
    assert repair.status_code == 201, repair.text
    return int(objection.json()["id"]), int(repair.json()["id"])


def requests(
    marked: Marked, path: str, operation: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every combination of the path parameters' values and the enumerated query
    parameters' values, with the widest dates, pages and states."""
    values = marked.values
    names, choices = [], []
    for parameter in operation.get("parameters", []):
        name, schema = parameter["name"], _schema(parameter.get("schema", {}))
        if parameter["in"] == "path":
            names.append(name)
            choices.append(values[name])
        elif parameter["in"] == "query" and "enum" in schema:
            names.append(name)
            choices.append(schema["enum"])
    widest = {"as_of": str(AS_OF), "active": "false", "page_size": 500, "limit": 1000}
    fixed = {
        p["name"]: widest[p["name"]]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p["name"] in widest
    }
    for combination in itertools.product(*choices):
        chosen = dict(zip(names, combination, strict=True))
        query = {k: v for k, v in chosen.items() if "{" + k + "}" not in path}
        yield url_path(path, chosen), {**fixed, **query}


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return dict(OPENAPI["components"]["schemas"][name])
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _schema(option)
    return schema


def answers(client: httpx.Client, url: str, params: dict[str, Any]) -> Iterator[httpx.Response]:
    """The answer, and the next ones while it names a cursor (``next``) or a next page."""
    for _ in range(1000):
        response = client.get(url, params=params)
        yield response
        body = _json(response)
        if not isinstance(body, dict):
            return
        items = body.get("events") or body.get("objections")
        if items and body.get("next") not in (None, params.get("after")):
            params = {**params, "after": body["next"]}
        elif body.get("next_page"):
            params = {**params, "page": body["next_page"]}
        else:
            return


def _json(response: httpx.Response) -> Any:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None
    return response.json()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "operation"), GETS, ids=[p for p, _ in GETS])
def test_no_answer_carries_a_class_its_role_may_not_read(
    marked: Marked, path: str, operation: dict[str, Any], role: str
) -> None:
    leaks: list[str] = []
    count = seen = 0
    with marked.client(role) as client:
        for url, params in requests(marked, path, operation):
            for response in answers(client, url, params):
                assert response.status_code < 500, f"{url} {params}: {response.text[:300]}"
                count += 1
                for found in _markers(response):
                    seen += 1
                    disclosure, subject = marked.markers[found]
                    if not may_read(role, marked.subject, disclosure, subject):
                        leaks.append(f"{url} {params}: {found} ({disclosure}, {subject})")
    CHECKED.append((path, role, count, seen))
    assert not leaks, f"{len(leaks)} leak(s), e.g. " + "; ".join(leaks[:5])


def _markers(response: httpx.Response) -> set[str]:
    return {m.group(0) for m in MARKER.finditer(body_text(response))}


def test_the_store_and_the_scan_can_see_every_class(marked: Marked) -> None:
    """The matrix means something: an administrator's export of records carries markers of
    all three classes, and a key scoped to public reads public markers and no other."""
    classes = {disclosure for disclosure, _ in marked.markers.values()}
    assert classes == {"public", "shared", "restricted"}
    for role, expected in (("admin", classes), ("sta-public", {"public"})):
        with marked.client(role) as client:
            found = _markers(client.get("/v1/exports/records", params={"format": "jsonl"}))
        assert {marked.markers[m][0] for m in found} == expected, role
