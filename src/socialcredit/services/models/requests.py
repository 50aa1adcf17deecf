"""The typed questions of the use cases, as the API's bodies and the portal's forms send them:
both interfaces validate with the same models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.services.decisions.answer import Question
from socialcredit.services.dueprocess.objections import RecordRef
from socialcredit.services.dueprocess.repair_eligibility import Application

RECORD_ID = r"^[0-9a-f]{1,40}$"
MAX_BATCH = 1000


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

    def ref(self) -> RecordRef:
        return RecordRef(self.record_id, self.category, self.doc_no, self.agency)


class OutcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["corrected", "upheld", "escalated"]
    reason: CleanText = Field(max_length=4000)


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

    def application(self, today: dt.date) -> Application:
        """The application as the eligibility check reads it (received ``today`` by default)."""
        statements = {
            name: value
            for name, value in (
                ("reorganisation_plan_performing", self.reorganisation_plan_performing),
                ("harm_removed", self.harm_removed),
            )
            if value is not None
        }
        return Application(
            self.applied_on or today,
            self.commitment_signed,
            self.obligations_performed_on,
            statements,
        )


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
    explain: bool = Field(
        default=True,
        description="give the reasons down to the records and provisions (false: the "
        "determining measures by id only, faster)",
    )

    def question(self, explain: bool = True) -> Question:
        return Question(
            self.subject, self.action, self.as_of, self.purpose, explain and self.explain
        )


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decisions: list[DecisionRequest] = Field(min_length=1, max_length=MAX_BATCH)
    explain: bool = Field(
        default=True, description="false: no decision of the batch is explained (screening)"
    )

    def questions(self) -> list[Question]:
        return [item.question(self.explain) for item in self.decisions]
