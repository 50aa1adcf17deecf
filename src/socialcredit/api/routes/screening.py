"""``POST /v1/screening``: bulk screening of counterparties against the lists, the results as
JSON, CSV (UTF-8 with a byte-order mark) or a workbook."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError
from socialcredit.core.screening.match import Counterparty
from socialcredit.services.screening.files import as_json, csv_bytes, xlsx_bytes
from socialcredit.services.screening.screen import ScreeningRefused, screen

router = APIRouter(prefix="/v1/screening", tags=["screening"], responses={**AUTHENTICATED})
MAX_COUNTERPARTIES = 10_000
Short = Annotated[str | None, Field(default=None, max_length=300)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CounterpartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Short = None
    identifier: Short = None
    region: Short = None
    role: Short = None


class ScreeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    counterparties: list[CounterpartyIn] = Field(min_length=1, max_length=MAX_COUNTERPARTIES)
    action: Short = Field(default=None, description="decide this action for every match")
    as_of: dt.date | None = Field(default=None, description="default: the latest label run's")
    purpose: Short = Field(default=None, description="why, for the subjects' access logs")


@router.post(
    "",
    summary="Screen counterparties: matches with reasons, entries, measures and decisions",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def screening(
    request: ScreeningIn,
    app: StateDep,
    caller: PrincipalDep,
    format: Annotated[
        Literal["json", "csv", "xlsx"], Query(description="the results' format")
    ] = "json",
) -> Any:
    parties = [
        Counterparty(number, p.name, p.identifier, p.region, p.role)
        for number, p in enumerate(request.counterparties, start=1)
    ]
    try:
        report = screen(
            app.engine, app.book, caller, parties, request.action, request.as_of, request.purpose
        )
    except ScreeningRefused as error:
        raise ApiError(403, "forbidden", str(error)) from None
    if format == "json":
        return JSONResponse(as_json(report))
    content, media = (
        (csv_bytes(report), "text/csv; charset=utf-8")
        if format == "csv"
        else (xlsx_bytes(report), XLSX)
    )
    name = f"screening-{report.as_of}.{format}"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
