"""Objections: ``POST /v1/objections`` (a subject or the record's source agency disputes a
record; the answer carries the review deadline the pack sets), ``GET /v1/objections`` and
``GET /v1/objections/{id}`` (the subject, the source agency and auditors read them), and
``POST /v1/objections/{id}/outcome`` (the source agency decides)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError, responses
from socialcredit.core.identifiers import parse_id
from socialcredit.services.dueprocess.objections import (
    RecordRef,
    decide_objection,
    file_objection,
    get_objection,
    list_objections,
)
from socialcredit.services.records.writes import Refused

router = APIRouter(
    prefix="/v1/objections", tags=["objections"], responses={**AUTHENTICATED, **responses(404, 409)}
)
RECORD_ID = r"^[0-9a-f]{1,40}$"
MAX_ID = 2**31 - 1


def clean(text: str) -> str:
    """Text a store can keep as it is: not blank, no NUL, no lone surrogate."""
    if not text.strip():
        raise ValueError("must not be blank")
    if "\x00" in text:
        raise ValueError("must not contain a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return text


CleanText = Annotated[str, AfterValidator(clean)]


def answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a service call; its refusals become errors in the API's format."""
    try:
        return call()
    except Refused as refusal:
        raise ApiError(refusal.status, refusal.code, str(refusal)) from None


class ObjectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_id: str | None = Field(default=None, pattern=RECORD_ID, description="the record")
    category: CleanText | None = Field(default=None, max_length=128, description="or its source")
    doc_no: CleanText | None = Field(default=None, max_length=200)
    agency: CleanText | None = Field(default=None, max_length=64)
    reason: CleanText = Field(max_length=4000, description="why the record is wrong")
    filed_on: dt.date | None = Field(
        default=None,
        description="the day a written objection was received (agencies; default today)",
    )

    @model_validator(mode="after")
    def _names_one_record(self) -> ObjectionRequest:
        source = (self.category, self.doc_no, self.agency)
        by_id = self.record_id is not None and all(v is None for v in source)
        by_source = self.record_id is None and all(v is not None for v in source)
        if not (by_id or by_source):
            raise ValueError("name the record by record_id, or by category, doc_no and agency")
        return self


class OutcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["corrected", "upheld", "escalated"]
    reason: CleanText = Field(max_length=4000)


ObjectionId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", status_code=201, summary="Dispute a record; the answer has the review deadline")
def file(request: ObjectionRequest, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    ref = RecordRef(request.record_id, request.category, request.doc_no, request.agency)
    today = dt.date.today()
    return answer(
        lambda: file_objection(
            app.engine, app.book, caller, ref, request.reason, request.filed_on, today
        )
    )


@router.get("", summary="The objections the caller may read, oldest first, after a cursor")
def objections(
    app: StateDep,
    caller: PrincipalDep,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    record: Annotated[str | None, Query(pattern=RECORD_ID)] = None,
    status: Literal["open", "escalated", "corrected", "upheld"] | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    code = parse_id(subject).code if subject is not None else None
    return answer(
        lambda: list_objections(app.engine, app.book, caller, code, record, status, after, limit)
    )


@router.get("/{objection_id}", summary="One objection: status, review deadline, decisions")
def objection(objection_id: ObjectionId, app: StateDep, caller: PrincipalDep) -> dict[str, Any]:
    return answer(lambda: get_objection(app.engine, app.book, caller, objection_id))


@router.post("/{objection_id}/outcome", summary="Decide: corrected, upheld or escalated")
def outcome(
    objection_id: ObjectionId, request: OutcomeRequest, app: StateDep, caller: PrincipalDep
) -> dict[str, Any]:
    today = dt.date.today()
    return answer(
        lambda: decide_objection(
            app.engine, app.book, caller, objection_id, request.outcome, request.reason, today
        )
    )
