"""``GET /v1/vocabulary``: the actions and the catalog's categories with their columns."""

from __future__ import annotations

from fastapi import APIRouter

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.services.models.vocabulary import Vocabulary
from socialcredit.services.packs.vocabulary import vocabulary

router = APIRouter(prefix="/v1/vocabulary", tags=["vocabulary"], responses={**AUTHENTICATED})


@router.get(
    "",
    summary="The actions a decision may ask about and the categories a batch may carry",
    description="Every action of the loaded packs (its domain, the effects measures give it) "
    "and every catalog category with the columns of its rows: name, type, required, choices.",
    response_model=Vocabulary,
)
def read_vocabulary(app: StateDep, _: PrincipalDep) -> Vocabulary:
    return Vocabulary.model_validate(vocabulary(app.book))
