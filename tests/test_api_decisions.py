"""The decision endpoints over a live server (SQLite and PostgreSQL): answers from the
decision index (``answered_by``), the engine for a day the index does not cover, explained
or named by id, single and batch alike, and every batch answer holding to the models the
OpenAPI document gives (the batch route encodes without validating each answer)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.models.decisions import BatchAnswer, DecisionAnswer
from tests.api_server import LiveApi, serve
from tests.conftest import RIC, USCC
from tests.test_api import submit
from tests.test_ingest import case

LISTED = {"subject": RIC, "action": "buy_flight_ticket", "as_of": "2018-06-01"}
SERVED = ("answered_by", "explained", "determining")


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def ready(api: LiveApi) -> str:
    """The worker's index state once its background build is over."""
    deadline = time.monotonic() + 30
    with api.client() as client:
        while (state := client.get("/v1/health").json()["decision_index"]) == "building":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    return str(state)


def post(api: LiveApi, path: str, body: dict[str, Any]) -> Any:
    with api.client("agency") as client:
        response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_single_and_batch_answers_from_the_index_explained_or_by_id(api: LiveApi) -> None:
    assert ready(api) in ("ready", "on demand")
    assert submit(api, case())["accepted"] == 1  # refreshes the index before it answers
    one = DecisionAnswer.model_validate(post(api, "/v1/decisions", LISTED))
    assert (one.effect, one.answered_by, one.explained) == ("deny", "index", True)
    assert one.reasons and one.until == "2020-01-10"  # two years from the decision
    named = {(d.measure, d.trigger.kind) for d in one.determining}
    sources = {(f"{s.memorandum.id}/{r.measure}", "entry") for r in one.reasons for s in r.sources}
    assert named == sources  # each measure once, with every memorandum that applies it
    terse = DecisionAnswer.model_validate(post(api, "/v1/decisions", {**LISTED, "explain": False}))
    assert (terse.effect, terse.explained, terse.reasons) == ("deny", False, [])
    assert terse.determining == one.determining
    questions = [LISTED, {**LISTED, "subject": USCC}, {**LISTED, "subject": "1"}]
    for explain in (True, False):
        raw = post(api, "/v1/decisions/batch", {"decisions": questions, "explain": explain})
        batch = BatchAnswer.model_validate(raw)
        first, other, _ = batch.results
        assert isinstance(first, DecisionAnswer) and isinstance(other, DecisionAnswer)
        assert first.model_dump() == (one if explain else terse).model_dump()
        assert (other.effect, other.known, other.answered_by) == ("allow", False, "index")
        assert raw["results"][2]["error"]["code"] == "invalid_identifier"


@pytest.fixture
def late_api(store: Engine, book: Rulebook, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveApi]:
    monkeypatch.setenv("SOCIALCREDIT_INDEX_FROM", "2019-01-01")
    yield from serve(store, book)


def test_a_day_the_index_does_not_cover_is_the_engines(late_api: LiveApi) -> None:
    submit(late_api, case())
    inside = {**LISTED, "as_of": "2019-06-01"}
    single = DecisionAnswer.model_validate(post(late_api, "/v1/decisions", LISTED))
    raw = post(late_api, "/v1/decisions/batch", {"decisions": [LISTED, inside]})
    engine, index = BatchAnswer.model_validate(raw).results
    assert (single.effect, single.answered_by) == ("deny", "engine")
    assert isinstance(engine, DecisionAnswer) and engine.model_dump() == single.model_dump()
    assert isinstance(index, DecisionAnswer) and index.answered_by == "index"
    assert index.effect == "deny"
