"""The FollowTheMoney export: every entity valid in followthemoney's own model, the lists'
measures and legal sources carried, the public's view masked, and an exported list matched
back against itself with nomenklatura's matcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy
from nomenklatura.matching import LogicV2
from sqlalchemy import Engine, func, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.exports.ftm import FtmExport, export_ftm
from socialcredit.services.lists.definitions import UnknownList
from socialcredit.store import tables as t
from tests.synthetic_store import labelled_nation

ADMIN = Principal(key_id="t", role="admin", name="test")
PUBLIC = Principal(key_id="p", role="public", name="portal")


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> Iterator[Engine]:
    engine = labelled_nation(tmp_path_factory.mktemp("ftm"), book)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def exported(nation: Engine, book: Rulebook) -> FtmExport:
    return export_ftm(nation, book, ADMIN)


def problems_of(data: dict[str, Any], ids: set[str]) -> list[str]:
    """What followthemoney's model finds wrong with one exported entity."""
    schema = model.get(data["schema"])
    if schema is None:
        return [f"unknown schema {data['schema']}"]
    found = []
    for name, values in data["properties"].items():
        prop = schema.get(name)
        if prop is None:
            found.append(f"{schema.name} has no property {name}")
            continue
        for value in values:
            if not prop.type.validate(value):
                found.append(f"{name}={value!r} is not a valid {prop.type.name}")
            if prop.type.name == "entity" and value not in ids:
                found.append(f"{name} refers to {value}, which the export lacks")
    missing = [p for p in schema.required if p not in data["properties"]]
    found += [f"required {p} missing" for p in missing]
    proxy = model.get_proxy(data, cleaned=False)
    if proxy.to_dict()["properties"] != model.get_proxy(data).to_dict()["properties"]:
        found.append("cleaning by the model changes the entity")
    return found


def test_every_exported_entity_validates_with_the_ftm_model(exported: FtmExport) -> None:
    ids = {e["id"] for e in exported.entities}
    assert len(ids) == len(exported.entities)
    schemata = {e["schema"] for e in exported.entities}
    assert {"Person", "Company", "Sanction"} <= schemata
    problems = {e["id"]: problems_of(e, ids) for e in exported.entities}
    assert not {k: v for k, v in problems.items() if v}
    assert all(e["datasets"] == ["socialcredit_lists"] for e in exported.entities)
    assert exported.metadata["name"] == "socialcredit_lists"
    lines = exported.jsonl().decode().splitlines()
    assert [json.loads(line) for line in lines] == exported.entities


def test_every_active_entry_of_a_blacklist_is_one_sanction(
    exported: FtmExport, nation: Engine
) -> None:
    with nation.connect() as db:
        run = db.execute(select(func.max(t.label_runs.c.id))).scalar_one()
        e = t.list_entries.c
        query = select(func.count()).where(
            e.run_id == run, e.list_id == "dishonest-judgment-debtors", e.starts <= exported.as_of
        )
        query = query.where((e.ends.is_(None)) | (e.ends > exported.as_of))
        expected = db.execute(query).scalar_one()
    sanctions = [
        e for e in exported.entities
        if e["schema"] == "Sanction"
        and e["properties"]["programId"] == ["dishonest-judgment-debtors"]
    ]  # fmt: skip
    assert (
        expected > 0 and len(sanctions) == expected == exported.lists["dishonest-judgment-debtors"]
    )
    one = sanctions[0]["properties"]
    assert any("Fa Shi [2017] No. 7" in p or "法释〔2017〕7号" in p for p in one["provisions"])
    assert any("buy_flight_ticket" in s for s in one["summary"])  # the measures it triggers
    assert one["status"] == ["active"] and one["country"] == ["cn"]


def test_the_public_gets_masked_identity_numbers_and_no_record_details(
    nation: Engine, book: Rulebook
) -> None:
    public = export_ftm(nation, book, PUBLIC, list_ids=["dishonest-judgment-debtors"])
    persons = [e for e in public.entities if e["schema"] == "Person"]
    assert persons
    for person in persons:
        assert "idNumber" not in person["properties"]
        assert "birthDate" not in person["properties"]
        assert "********" in person["properties"]["notes"][0]
    sanctions = [e for e in public.entities if e["schema"] == "Sanction"]
    assert all("recordId" not in s["properties"] for s in sanctions)


def test_an_unknown_list_is_refused(nation: Engine, book: Rulebook) -> None:
    with pytest.raises(UnknownList):
        export_ftm(nation, book, ADMIN, list_ids=["no-such-list"])


def test_an_exported_list_matches_itself_with_nomenklatura(exported: FtmExport) -> None:
    """Each listed subject, asked as a query by its name alone, finds itself at the top."""
    subjects = [model.get_proxy(e) for e in exported.entities if e["schema"] != "Sanction"]
    config = LogicV2.default_config()
    misses = []
    for subject in subjects:
        query = model.make_entity(subject.schema)
        query.id = f"query-{subject.id}"  # the matcher caches what it derives per entity id
        query.add("name", subject.get("name"))
        scores = sorted(((_score(query, c, config), c.id) for c in subjects), reverse=True)
        best = scores[0][0]
        top = {cid for score, cid in scores if score == best}
        if best < 0.9 or subject.id not in top:
            misses.append((subject.get("name"), scores[:3]))
    assert not misses, misses


def _score(query: EntityProxy, candidate: EntityProxy, config: Any) -> float:
    return float(LogicV2.compare(query, candidate, config).score)


def test_the_cli_writes_entities_and_the_index(tmp_path: Path, nation: Engine) -> None:
    from typer.testing import CliRunner

    from socialcredit.cli.main import app

    out = tmp_path / "out" / "lists.ftm.jsonl"
    result = CliRunner().invoke(
        app, ["export", "ftm", "--out", str(out), "--db", str(nation.url), "--list",
              "dishonest-judgment-debtors"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    index = json.loads((out.parent / "index.json").read_text(encoding="utf-8"))
    assert index["datasets"][0]["name"] == "socialcredit_lists"
    assert index["entities"] == len(out.read_text(encoding="utf-8").splitlines()) > 0
    unknown = CliRunner().invoke(
        app, ["export", "ftm", "--db", str(nation.url), "--list", "no-such-list"]
    )
    assert unknown.exit_code == 1


def test_the_api_serves_entities_and_index(nation: Engine, book: Rulebook) -> None:
    from fastapi.testclient import TestClient

    from socialcredit.app import create_app
    from socialcredit.services.access.keys import create_key

    url = nation.url.render_as_string(hide_password=False)
    key = create_key(nation, "public", "ftm test")
    with TestClient(create_app(url, book)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        params = {"list": "dishonest-judgment-debtors"}
        response = client.get("/v1/exports/ftm", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/x-ndjson")
        entities = [json.loads(line) for line in response.text.splitlines()]
        assert entities and all(e["datasets"] == ["socialcredit_lists"] for e in entities)
        assert not any("idNumber" in e["properties"] for e in entities)  # the public's view
        index = client.get("/v1/exports/ftm/index.json", params=params, headers=headers)
        assert index.json()["entities"] == len(entities)
        unknown = client.get("/v1/exports/ftm", params={"list": "nope"}, headers=headers)
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
        assert client.get("/v1/exports/ftm").status_code == 401
