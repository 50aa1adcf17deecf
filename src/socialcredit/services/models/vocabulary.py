"""The vocabulary of the loaded packs: actions, and categories with their columns."""

from __future__ import annotations

from socialcredit.services.models.base import Answer


class ActionTerm(Answer):
    id: str
    domain: str
    title: str | None
    shared: bool  # one of the shared vocabulary (DESIGN.md 5), not added by a pack
    defined_by: list[str]
    effects: list[str]  # the effects the loaded memoranda's measures give this action


class Column(Answer):
    name: str
    type: str  # text, int, decimal, money, date, bool, id, enum
    required: bool
    choices: list[str]
    description: str | None


class CategoryTerm(Answer):
    id: str
    pack: str
    title: str
    agencies: list[str]
    disclosure: str
    legal_basis: str
    columns: list[Column]


class Vocabulary(Answer):
    """What an integrator may send and ask: the actions and the catalog's categories."""

    packs: dict[str, str]
    actions: list[ActionTerm]
    categories: list[CategoryTerm]
