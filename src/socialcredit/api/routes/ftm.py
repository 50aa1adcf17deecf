"""``/v1/exports/ftm``: the restricting lists' entries in force, with their measures and legal
sources, as FollowTheMoney entities (JSON Lines), and the dataset's index."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, ApiError
from socialcredit.api.routes.lists import Purpose
from socialcredit.services.exports.ftm import MEDIA_TYPE, FtmExport, export_ftm
from socialcredit.services.lists.definitions import UnknownList

router = APIRouter(prefix="/v1/exports/ftm", tags=["exports"], responses={**AUTHENTICATED})
Lists = Annotated[
    list[str] | None,
    Query(
        alias="list", description="lists to export (repeat); default every blacklist and watchlist"
    ),
]
AsOf = Annotated[
    dt.date | None, Query(description="entries in force on; default the latest label run's date")
]


def _export(app: Any, caller: Any, as_of: dt.date | None, lists: list[str] | None,
            purpose: str | None) -> FtmExport:  # fmt: skip
    try:
        return export_ftm(app.engine, app.book, caller, as_of, lists, purpose)
    except UnknownList as error:
        raise ApiError(404, "not_found", f"no loaded pack defines list {error.args[0]!r}") from None


@router.get(
    "",
    summary="FollowTheMoney entities (Person, Company, Organization, Sanction), JSON Lines",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
def entities(
    app: StateDep, caller: PrincipalDep, as_of: AsOf = None, lists: Lists = None,
    purpose: Purpose = None,
) -> Response:  # fmt: skip
    result = _export(app, caller, as_of, lists, purpose)
    filename = f"socialcredit-lists-{result.as_of}.ftm.jsonl"
    return Response(
        result.jsonl(),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-As-Of": result.as_of.isoformat(),
        },
    )


@router.get("/index.json", summary="The FtM dataset's metadata and what the export holds")
def index(
    app: StateDep, caller: PrincipalDep, as_of: AsOf = None, lists: Lists = None,
    purpose: Purpose = None,
) -> dict[str, Any]:  # fmt: skip
    return _export(app, caller, as_of, lists, purpose).index()
