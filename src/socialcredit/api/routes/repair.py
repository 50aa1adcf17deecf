"""Credit repair: ``POST /v1/repair`` checks an application against the pack's conditions and
answers approved (with the day publication stops) or refused (with the reasons);
``GET /v1/repair/{id}`` reads it back (the subject, the source agency, auditors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, responses
from socialcredit.api.routes.objections import MAX_ID, RECORD_ID, answer
from socialcredit.services.dueprocess.repair import apply_for_repair, get_repair
from socialcredit.services.dueprocess.repair_eligibility import Application

router = APIRouter(
    prefix="/v1/repair", tags=["repair"], responses={**AUTHENTICATED, **responses(404, 409)}
)


class RepairRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=64, description="USCC or resident ID number")
    record_id: str = Field(pattern=RECORD_ID, description="the record to repair")
    commitment_signed: bool = Field(default=False, description="a public credit commitment")
    obligations_performed_on: dt.date | None = Field(
        default=None, description="when the obligations of the decision were performed"
    )
    reorganisation_plan_performing: bool | None = Field(
        default=None, description="a company in bankruptcy reorganisation performing its plan"
    )
    harm_removed: bool | None = Field(default=None, description="harm and effects removed")
    applied_on: dt.date | None = Field(
        default=None,
        description="the day a written application was received (agencies; default today)",
    )


@router.post("", status_code=201, summary="Apply for credit repair; approved or refused")
def apply(request: RepairRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    today = dt.date.today()
    statements = {
        name: value
        for name, value in (
            ("reorganisation_plan_performing", request.reorganisation_plan_performing),
            ("harm_removed", request.harm_removed),
        )
        if value is not None
    }
    application = Application(
        request.applied_on or today,
        request.commitment_signed,
        request.obligations_performed_on,
        statements,
    )
    return answer(
        lambda: apply_for_repair(
            app.engine, app.book, caller, request.subject, request.record_id, application, today
        )
    )


@router.get("/{repair_id}", summary="One repair application and its outcome")
def repair(
    repair_id: Annotated[int, Path(ge=1, le=MAX_ID)], app: StateDep, caller: PrincipalDep
) -> dict[str, Any]:
    return answer(lambda: get_repair(app.engine, app.book, caller, repair_id))
