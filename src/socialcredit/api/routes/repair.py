"""Credit repair: ``POST /v1/repair`` checks an application against the pack's conditions and
answers approved (with the day publication stops) or refused (with the reasons);
``GET /v1/repair/{id}`` reads it back (the subject, the source agency, auditors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, responses
from socialcredit.api.routes.objections import MAX_ID
from socialcredit.services.dueprocess.repair import apply_for_repair, get_repair
from socialcredit.services.models.dueprocess import Repair
from socialcredit.services.models.requests import RepairRequest

router = APIRouter(
    prefix="/v1/repair", tags=["repair"], responses={**AUTHENTICATED, **responses(404, 409)}
)


@router.post(
    "",
    status_code=201,
    summary="Apply for credit repair; approved or refused",
    response_model=Repair,
)
def apply(request: RepairRequest, app: StateDep, caller: PrincipalDep) -> Repair:
    today = dt.date.today()
    application = request.application(today)
    found = apply_for_repair(
        app.engine, app.book, caller, request.subject, request.record_id, application, today
    )
    return Repair.model_validate(found)


@router.get("/{repair_id}", summary="One repair application and its outcome", response_model=Repair)
def repair(
    repair_id: Annotated[int, Path(ge=1, le=MAX_ID)], app: StateDep, caller: PrincipalDep
) -> Repair:
    return Repair.model_validate(get_repair(app.engine, app.book, caller, repair_id))
