"""Signing in and out, and the subject's own area: the full file, who accessed it, and the
objection and repair forms with their deadlines and status."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from socialcredit.services.access.keys import authenticate
from socialcredit.services.dueprocess.objections import file_objection
from socialcredit.services.dueprocess.own_papers import own_papers
from socialcredit.services.dueprocess.repair import apply_for_repair
from socialcredit.services.files.report import read_report
from socialcredit.services.models.requests import ObjectionRequest, RepairRequest
from socialcredit.web.deps import StateDep
from socialcredit.web.guard import as_page, check_csrf, require_role
from socialcredit.web.public import AsOf, file_context
from socialcredit.web.session import (
    MAX_KEY,
    new_form_token,
    set_form_token,
    sign_in,
    sign_out,
    valid_form_token,
)
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
HOMES = {"subject": "/me", "agency": "/agency"}
Text = Annotated[str, Form(max_length=4000)]


def _local(path: str) -> str:
    """Only a path on this site (never another host) is a place to go back to."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else ""


def _sign_in_page(request: Request, next_path: str, error: str = "", status: int = 200) -> Response:
    token = new_form_token()
    page = render(request, "signin.html", status, next=next_path, token=token, error=error)
    set_form_token(page, request, token)
    return page


@router.get("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request, next: Annotated[str, Query(max_length=500)] = "") -> Response:
    return _sign_in_page(request, _local(next))


@router.post("/signin")
def sign_in_post(
    request: Request,
    app: StateDep,
    key: Annotated[str, Form(max_length=MAX_KEY)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
    token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not valid_form_token(request, token):
        message = "The sign-in form expired or did not come from this portal; please try again."
        return _sign_in_page(request, _local(next), message, 400)
    caller = authenticate(app.engine, key.strip()) if key.strip() else None
    if caller is None:
        message = "This API key is not valid or has been revoked."
        return _sign_in_page(request, _local(next), message, 401)
    response = RedirectResponse(_local(next) or HOMES.get(caller.role, "/"), 303)
    sign_in(response, request, caller)
    return response


@router.post("/signout")
def sign_out_post(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, csrf)
    response = RedirectResponse("/", 303)
    sign_out(response, request)
    return response


@router.get("/me", response_class=HTMLResponse)
def my_file(
    request: Request,
    app: StateDep,
    as_of: AsOf = None,
    done: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    caller = require_role(request, "subject")
    report = read_report(app, caller, caller.subject or "", as_of, "own file")
    papers = own_papers(app, caller, [r["id"] for r in report["records"]])
    for record in report["records"]:
        record["disputed"] = record["id"] in papers["disputed"]
    return render(request, "me.html", done=done, **file_context(app, report), **papers)


@router.post("/me/objections")
def object_to_record(
    request: Request,
    app: StateDep,
    record_id: Annotated[str, Form(max_length=40)],
    reason: Text,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    caller = require_role(request, "subject")
    check_csrf(request, csrf)
    filed = as_page(
        lambda: file_objection(
            app.engine,
            app.book,
            caller,
            ObjectionRequest.model_validate({"record_id": record_id, "reason": reason}).ref(),
            reason,
            None,
            dt.date.today(),
        )
    )
    return RedirectResponse(f"/me?done=objection-{filed['id']}#objections", 303)


@router.post("/me/repair")
def apply_repair(
    request: Request,
    app: StateDep,
    record_id: Annotated[str, Form(max_length=40)],
    obligations_performed_on: Annotated[str, Form(max_length=10)] = "",
    commitment_signed: Annotated[bool, Form()] = False,
    harm_removed: Annotated[bool, Form()] = False,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    caller = require_role(request, "subject")
    check_csrf(request, csrf)
    form = {
        "subject": caller.subject or "",
        "record_id": record_id,
        "commitment_signed": commitment_signed,
        "obligations_performed_on": obligations_performed_on or None,
        "harm_removed": harm_removed or None,
    }
    today = dt.date.today()

    def apply() -> dict[str, object]:
        request = RepairRequest.model_validate(form)
        application = request.application(today)
        return apply_for_repair(
            app.engine, app.book, caller, request.subject, request.record_id, application, today
        )

    decided = as_page(apply)
    return RedirectResponse(f"/me?done=repair-{decided['id']}#repairs", 303)
