"""``POST /v1/decisions`` and ``/v1/decisions/batch``: may subject S do action A on date D?

A single answer is validated against its model and serialised by pydantic's own (Rust)
encoder straight to the response body, without FastAPI's second validation and
``jsonable_encoder`` pass. A batch's answers, up to a thousand, are the services' own
JSON-ready dicts encoded by orjson without validating each again (validating was ~30 µs a
decision); ``tests/test_api_decisions.py`` holds real batch answers to the models."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, domain_code
from socialcredit.core.errors import SocialCreditError
from socialcredit.services.decisions.answer import answer, answer_batch
from socialcredit.services.models.base import Answer
from socialcredit.services.models.decisions import BatchAnswer, DecisionAnswer
from socialcredit.services.models.errors import ErrorBody
from socialcredit.services.models.requests import BatchRequest, DecisionRequest

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=AUTHENTICATED)


def json_response(model: Answer) -> Response:
    """The model as the API's JSON (field aliases), encoded once."""
    return Response(model.model_dump_json(by_alias=True), media_type="application/json")


@router.post("", summary="One decision with its reasons", response_model=DecisionAnswer)
def one(request: DecisionRequest, app: StateDep, caller: PrincipalDep) -> Response:
    """From the decision index when it covers the day (``answered_by``), else the engine;
    ``explain: false`` names the determining measures by id instead of the reasons."""
    return json_response(DecisionAnswer.model_validate(answer(app, caller, request.question())))


@router.post(
    "/batch",
    summary="Many decisions at once; each answers on its own",
    response_model=BatchAnswer,
)
def batch(request: BatchRequest, app: StateDep, caller: PrincipalDep) -> Response:
    """Each result is a decision or an error in the API's error format; the decisions made
    are logged together. The index is asked for all of them at once; ``explain: false``
    (for the whole batch, or per question) skips the reasons."""
    found = answer_batch(app, caller, request.questions())
    results = [
        ErrorBody.of(domain_code(r), str(r)).model_dump(mode="json", by_alias=True)
        if isinstance(r, SocialCreditError)
        else r
        for r in found
    ]
    return Response(orjson.dumps({"results": results}), media_type="application/json")
