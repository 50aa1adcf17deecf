"""Requests against a live server for the table-driven access and fuzz tests: the OpenAPI
document with real values for its parameters, one request per operation, and the error
format. ``live_server`` starts one server per store (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key, list_keys, revoke_key
from socialcredit.store.database import connect, migrate
from socialcredit.synth.people import make_ric
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, _postgres_schema
from tests.test_ingest import HEADER, case

DAY = "2018-06-01"
OTHER = make_ric("110105", dt.date(1990, 5, 5), 8)  # a person whose key reads RIC's file
_unknown = (make_ric("110105", dt.date(1980, 1, 1), n) for n in itertools.count(100))


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


def live_server(kind: str, folder: Path, book: Rulebook) -> Iterator[Live]:
    """A live server on a new store of ``kind`` (sqlite or postgresql), with the keys of every
    caller and real values discovered; RIC has a record, so his file exists."""
    for engine in _engine(kind, folder):
        for api in serve(engine, book):
            with httpx.Client(base_url=api.url, timeout=60) as client:
                live = Live(api, caller_keys(api), Spec(client.get("/openapi.json").json()), client)
                done = live.send("agency", ("POST", "/v1/records", csv_body(RIC)))
                assert done.status_code == 200 and done.json()["accepted"] == 1, done.text
                discover(live)
                yield live


def csv_body(subject: str) -> dict[str, Any]:
    content = "\n".join([HEADER, case(subject=subject)]) + "\n"
    return {"content": content.encode(), "headers": {"Content-Type": "text/csv"}}


# Routes that create no item with an id: discovery does not call them.
NOT_COLLECTIONS = {
    ("POST", "/v1/records"),
    ("POST", "/v1/decisions"),
    ("POST", "/v1/decisions/batch"),
    ("GET", "/v1/health"),
    ("GET", "/v1/feed"),
    ("GET", "/v1/audit/verify"),
}


def discover(live: Live) -> None:
    """Real values: RIC's record, and one item id per collection (created by the POST of the
    collection where there is one, as the subject and then as the agency, else listed)."""
    file = live.send("auditor", ("GET", f"/v1/subjects/{RIC}", {"params": {"as_of": DAY}}))
    record = file.json()["records"][0]["id"]
    live.spec.values.update(record_id=record, record=record, reason="the debt was paid in full")
    for method, path, operation in routes(live.spec.openapi):
        if "{" in path or (method, path) in NOT_COLLECTIONS:
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
