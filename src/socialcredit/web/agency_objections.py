"""Objections in the agency console: the objections to the agency's records, and the review
form (corrected, upheld or escalated, with the reason), through the API's own routes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialcredit.api.deps import StateDep
from socialcredit.api.routes.objections import MAX_ID, OutcomeRequest
from socialcredit.api.routes.objections import objections as objections_route
from socialcredit.api.routes.objections import outcome as outcome_route
from socialcredit.web.guard import check_csrf, require_role, via_api
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
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
    found = via_api(lambda: objections_route(app, caller, None, None, shown, 0, LIMIT))
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
    via_api(
        lambda: outcome_route(objection_id, OutcomeRequest.model_validate(decision), app, caller)
    )
    return RedirectResponse(f"/agency/objections?status=&done={objection_id}", 303)
