"""``POST /v1/decisions`` and ``/v1/decisions/batch``: may subject S do action A on date D?"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.api.deps import AppState, PrincipalDep, StateDep
from socialcredit.api.errors import ApiError, body, domain_code
from socialcredit.core.access import Principal
from socialcredit.core.errors import SocialCreditError
from socialcredit.services.decide import decide
from socialcredit.store.audit_log import append

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])
MAX_BATCH = 1000


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=64, description="USCC or resident ID number")
    action: str = Field(max_length=128, description="an action of the shared vocabulary")
    as_of: dt.date | None = Field(default=None, description="default: today")
    purpose: str | None = Field(default=None, max_length=500, description="logged in the audit")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decisions: list[DecisionRequest] = Field(min_length=1, max_length=MAX_BATCH)


def _decide(app: AppState, caller: Principal, request: DecisionRequest) -> dict[str, Any]:
    as_of = request.as_of or dt.date.today()
    decision = decide(app.engine, app.book, request.subject, request.action, as_of)
    if not caller.may_decide(request.action, decision.subject):
        raise ApiError(403, "forbidden", f"this key may not decide {request.action!r}")
    result = decision.as_dict()
    with app.engine.begin() as db:
        append(
            db,
            {
                "actor": caller.actor,
                "action": "decide",
                "subject": decision.subject,
                "purpose": request.purpose,
                "result": f"{request.action}:{decision.effect}",
                "revisions": decision.revisions,
            },
        )
    return result


@router.post("", summary="One decision with its reasons")
def one(request: DecisionRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    return _decide(app, caller, request)


@router.post("/batch", summary="Many decisions at once; each answers on its own")
def batch(request: BatchRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for item in request.decisions:
        try:
            results.append(_decide(app, caller, item))
        except ApiError as error:
            results.append(body(error.code, error.message))
        except SocialCreditError as error:
            results.append(body(domain_code(error), str(error)))
    return {"results": results}
