"""``/v1/lists``: list definitions (any key) and list entries, paged and dated, as the caller
may see them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED, responses
from socialcredit.services.errors import not_found
from socialcredit.services.lists.definitions import UnknownList, list_definition, list_definitions
from socialcredit.services.lists.query import Basis, EntryQuery
from socialcredit.services.lists.read import read_entries
from socialcredit.services.models.lists import EntriesPage, ListDefinition, ListDefinitions

router = APIRouter(
    prefix="/v1/lists", tags=["lists"], responses={**AUTHENTICATED, **responses(404)}
)
MAX_PAGE_SIZE = 500

ListId = Annotated[str, Path(max_length=128, description="a list id, as GET /v1/lists names it")]
AsOf = Annotated[
    dt.date | None,
    Query(description="the date the entries are for; default: the label run's date (live: today)"),
]
BasisParam = Annotated[
    Basis,
    Query(
        description="`run`: the latest label run, filtered by date (exact up to the run's date); "
        "`live`: evaluated now from the records for exactly `as_of` (slower)"
    ),
]
Purpose = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="why the caller reads (logged in the audit); no control characters",
    ),
]


@router.get(
    "",
    summary="Every list as the packs define it (versions, legal basis, due process)",
    response_model=ListDefinitions,
)
def definitions(app: StateDep, _: PrincipalDep) -> ListDefinitions:
    return ListDefinitions.model_validate({"lists": list_definitions(app.book)})


@router.get("/{list_id}", summary="One list as its pack defines it", response_model=ListDefinition)
def definition(list_id: ListId, app: StateDep, _: PrincipalDep) -> ListDefinition:
    try:
        return ListDefinition.model_validate(list_definition(app.book, list_id))
    except UnknownList:
        raise not_found(f"no loaded pack defines a list {list_id!r}") from None


@router.get(
    "/{list_id}/entries",
    summary="Entries of a list on a date, paged, as far as the caller may see them",
    description="Each answer says which label run (or live evaluation) and which date the "
    "entries come from (`run`, `as_of`, `basis`, `note`). With no label run yet, an empty "
    "page and `run: null`. `active=false` adds the entries that started by `as_of` and ended.",
    response_model=EntriesPage,
)
def entries(
    list_id: ListId,
    app: StateDep,
    caller: PrincipalDep,
    as_of: AsOf = None,
    active: Annotated[bool, Query(description="only entries in force on `as_of`")] = True,
    basis: BasisParam = "run",
    page: Annotated[int, Query(ge=1, le=10**9)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
    purpose: Purpose = None,
) -> EntriesPage:
    query = EntryQuery(list_id, as_of, active, basis)
    found = read_entries(app, caller, query, ((page - 1) * page_size, page_size), purpose)
    more = page * page_size < found.found.total
    return EntriesPage.model_validate(
        {
            **found.found.describe(),
            "page": page,
            "page_size": page_size,
            "next_page": page + 1 if more else None,
            "entries": found.rows,
        }
    )
