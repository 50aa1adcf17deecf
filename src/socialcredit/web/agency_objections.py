"""Objections in the agency console: the objections to the agency's records, and the review
form (corrected, upheld or escalated, with the reason), through the same use cases as the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialcredit.services.dueprocess.objections import decide_objection, list_objections
from socialcredit.services.models.requests import OutcomeRequest
from socialcredit.web.deps import StateDep
from socialcredit.web.guard import as_page, check_csrf, require_role
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_ID = 2**31 - 1
Status = Literal["open", "escalated", "corrected", "upheld"]
STATUSES: tuple[Status, ...] = ("open", "escalated", "corrected", "upheld")
LIMIT = 200


@router.get("/agency/objections", response_class=HTMLResponse)
def objections(
    request: Request,
    app: StateDep,
    status: Annotated[str, Query(max_length=20)] = "open",
    done: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    """Objections to the agency's records: open ones by default, ``status=`` for all."""
    caller = require_role(request, "agency")
    shown: Status | None = next((s for s in STATUSES if s == status), None)
    found = as_page(
        lambda: list_objections(app.engine, app.book, caller, None, None, shown, 0, LIMIT)
    )
    return render(
        request,
        "agency_objections.html",
        objections=found["objections"],
        shown=shown,
        done=done,
    )


@router.post("/agency/objections/{objection_id}")
def decide(
    request: Request,
    app: StateDep,
    objection_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    outcome: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=4000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    caller = require_role(request, "agency")
    check_csrf(request, csrf)
    decision = {"outcome": outcome, "reason": reason}

    def decide() -> dict[str, object]:
        asked = OutcomeRequest.model_validate(decision)
        return decide_objection(
            app.engine, app.book, caller, objection_id, asked.outcome, asked.reason, dt.date.today()
        )

    as_page(decide)
    return RedirectResponse(f"/agency/objections?status=&done={objection_id}", 303)
