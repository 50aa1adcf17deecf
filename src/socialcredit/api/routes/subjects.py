"""``GET /v1/subjects/{id}``: the credit file as the caller may see it; its access log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.api.routes.lists import Purpose
from socialcredit.core.catalog import EARLIEST, LATEST
from socialcredit.services.files.read import read_access_log, read_credit_file
from socialcredit.services.files.report import read_report
from socialcredit.services.models.files import AccessLog, CreditFile, CreditReport

router = APIRouter(prefix="/v1/subjects", tags=["subjects"], responses=AUTHENTICATED)
AsOf = Annotated[
    dt.date | None,
    Query(ge=EARLIEST, le=LATEST, description="the date asked about; default: today"),
]


@router.get(
    "/{subject_id}",
    summary="The credit file, as far as the caller may see it",
    response_model=CreditFile,
)
def read(
    subject_id: str,
    app: StateDep,
    caller: PrincipalDep,
    as_of: AsOf = None,
    purpose: Purpose = None,
) -> CreditFile:
    return CreditFile.model_validate(read_credit_file(app, caller, subject_id, as_of, purpose))


@router.get(
    "/{subject_id}/report",
    summary="A dated credit report, with how to object or repair",
    response_model=CreditReport,
)
def report(
    subject_id: str,
    app: StateDep,
    caller: PrincipalDep,
    as_of: AsOf = None,
    purpose: Purpose = None,
) -> CreditReport:
    return CreditReport.model_validate(read_report(app, caller, subject_id, as_of, purpose))


@router.get(
    "/{subject_id}/access-log",
    summary="Who read this file, decided about it, and why",
    response_model=AccessLog,
)
def access_log(subject_id: str, app: StateDep, caller: PrincipalDep) -> AccessLog:
    return AccessLog.model_validate(read_access_log(app, caller, subject_id))
