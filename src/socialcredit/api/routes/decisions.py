"""``POST /v1/decisions`` and ``/v1/decisions/batch``: may subject S do action A on date D?"""

from __future__ import annotations

from fastapi import APIRouter

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, domain_code
from socialcredit.core.errors import SocialCreditError
from socialcredit.services.decisions.answer import answer, answer_batch
from socialcredit.services.models.decisions import BatchAnswer, DecisionAnswer
from socialcredit.services.models.errors import ErrorBody
from socialcredit.services.models.requests import BatchRequest, DecisionRequest

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=AUTHENTICATED)


@router.post("", summary="One decision with its reasons", response_model=DecisionAnswer)
def one(request: DecisionRequest, app: StateDep, caller: PrincipalDep) -> DecisionAnswer:
    return DecisionAnswer.model_validate(answer(app, caller, request.question()))


@router.post(
    "/batch",
    summary="Many decisions at once; each answers on its own",
    response_model=BatchAnswer,
)
def batch(request: BatchRequest, app: StateDep, caller: PrincipalDep) -> BatchAnswer:
    """Each result is a decision or an error in the API's error format; the decisions made
    are logged together."""
    found = answer_batch(app, caller, [item.question() for item in request.decisions])
    results: list[DecisionAnswer | ErrorBody] = [
        ErrorBody.of(domain_code(r), str(r))
        if isinstance(r, SocialCreditError)
        else DecisionAnswer.model_validate(r)
        for r in found
    ]
    return BatchAnswer(results=results)
