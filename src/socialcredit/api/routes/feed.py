"""``GET /v1/feed?after=CURSOR``: ordered change events the caller is entitled to see."""

from __future__ import annotations

from fastapi import APIRouter, Query

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.services.feed.read import read_feed
from socialcredit.services.models.feed import FeedPage

router = APIRouter(prefix="/v1/feed", tags=["feed"], responses=AUTHENTICATED)


@router.get(
    "",
    summary="Events after a cursor, oldest first; `next` is the cursor to send next",
    description="Event kinds: record.accepted, record.corrected, record.status, entry.added, "
    "entry.removed, rating.changed, measure.started, measure.ended, and the outcomes of "
    "objections and repair. Only events the caller may read are returned, and `next` is the "
    "id of the last of them (or `after` when there are none): event ids are one sequence for "
    "all callers.",
    response_model=FeedPage,
)
def feed(
    app: StateDep,
    caller: PrincipalDep,
    after: int = Query(0, ge=0, le=2**31 - 1, description="the id of the last event seen"),
    limit: int = Query(100, ge=1, le=1000),
) -> FeedPage:
    return FeedPage.model_validate(read_feed(app, caller, after, limit))
