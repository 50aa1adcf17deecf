"""Objections: ``POST /v1/objections`` (a subject or the record's source agency disputes a
record; the answer carries the review deadline the pack sets), ``GET /v1/objections`` and
``GET /v1/objections/{id}`` (the subject, the source agency and auditors read them), and
``POST /v1/objections/{id}/outcome`` (the source agency decides)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, responses
from socialcredit.core.identifiers import parse_id
from socialcredit.services.dueprocess.objections import (
    decide_objection,
    file_objection,
    get_objection,
    list_objections,
)
from socialcredit.services.models.dueprocess import Objection, ObjectionPage
from socialcredit.services.models.requests import RECORD_ID, ObjectionRequest, OutcomeRequest

router = APIRouter(
    prefix="/v1/objections", tags=["objections"], responses={**AUTHENTICATED, **responses(404, 409)}
)
MAX_ID = 2**31 - 1
ObjectionId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post(
    "",
    status_code=201,
    summary="Dispute a record; the answer has the review deadline",
    response_model=Objection,
)
def file(request: ObjectionRequest, app: StateDep, caller: PrincipalDep) -> Objection:
    today = dt.date.today()
    found = file_objection(
        app.engine, app.book, caller, request.ref(), request.reason, request.filed_on, today
    )
    return Objection.model_validate(found)


@router.get(
    "",
    summary="The objections the caller may read, oldest first, after a cursor",
    response_model=ObjectionPage,
)
def objections(
    app: StateDep,
    caller: PrincipalDep,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    record: Annotated[str | None, Query(pattern=RECORD_ID)] = None,
    status: Literal["open", "escalated", "corrected", "upheld"] | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ObjectionPage:
    code = parse_id(subject).code if subject is not None else None
    found = list_objections(app.engine, app.book, caller, code, record, status, after, limit)
    return ObjectionPage.model_validate(found)


@router.get(
    "/{objection_id}",
    summary="One objection: status, review deadline, decisions",
    response_model=Objection,
)
def objection(objection_id: ObjectionId, app: StateDep, caller: PrincipalDep) -> Objection:
    return Objection.model_validate(get_objection(app.engine, app.book, caller, objection_id))


@router.post(
    "/{objection_id}/outcome",
    summary="Decide: corrected, upheld or escalated",
    response_model=Objection,
)
def outcome(
    objection_id: ObjectionId, request: OutcomeRequest, app: StateDep, caller: PrincipalDep
) -> Objection:
    today = dt.date.today()
    found = decide_objection(
        app.engine, app.book, caller, objection_id, request.outcome, request.reason, today
    )
    return Objection.model_validate(found)
