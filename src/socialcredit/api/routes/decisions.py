"""``POST /v1/decisions`` and ``/v1/decisions/batch``: may subject S do action A on date D?"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.api.deps import AppState, PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError, body, domain_code
from socialcredit.core.access import Principal
from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.core.errors import SocialCreditError
from socialcredit.services.decisions.decide import decide
from socialcredit.store.audit_log import append, append_many

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=AUTHENTICATED)
MAX_BATCH = 1000


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=64, description="USCC or resident ID number")
    action: str = Field(max_length=128, description="an action of the shared vocabulary")
    as_of: dt.date | None = Field(
        default=None, ge=EARLIEST, le=LATEST, description="default: today"
    )
    purpose: str | None = Field(
        default=None,
        max_length=500,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="why the caller asks (logged in the audit); no control characters",
    )


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decisions: list[DecisionRequest] = Field(min_length=1, max_length=MAX_BATCH)


def _decide(app: AppState, caller: Principal, request: DecisionRequest) -> dict[str, Any]:
    """The decision, checked against the caller's scope (not yet audited)."""
    as_of = request.as_of or dt.date.today()
    decision = decide(app.engine, app.book, request.subject, request.action, as_of)
    if not caller.may_decide(request.action, decision.subject):
        raise ApiError(403, "forbidden", f"this key may not decide {request.action!r}")
    return decision.as_dict()


def _audit_entry(
    caller: Principal, request: DecisionRequest, result: dict[str, Any]
) -> dict[str, Any]:
    return {
        "actor": caller.actor,
        "action": "decide",
        "subject": result["subject"],
        "purpose": request.purpose,
        "result": f"{request.action}:{result['effect']}",
        "revisions": result["pack_revisions"],
    }


@router.post("", summary="One decision with its reasons")
def one(request: DecisionRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    result = _decide(app, caller, request)
    with app.engine.begin() as db:
        append(db, _audit_entry(caller, request, result))
    return result


@router.post("/batch", summary="Many decisions at once; each answers on its own")
def batch(request: BatchRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    """Every decision is made first; the audit entries are then written in one transaction."""
    results: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []
    for item in request.decisions:
        try:
            result = _decide(app, caller, item)
        except ApiError as error:
            results.append(body(error.code, error.message))
        except SocialCreditError as error:
            results.append(body(domain_code(error), str(error)))
        else:
            results.append(result)
            audit.append(_audit_entry(caller, item, result))
    with app.engine.begin() as db:
        append_many(db, audit)
    return {"results": results}
