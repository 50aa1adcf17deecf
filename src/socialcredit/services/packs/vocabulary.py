"""The vocabulary an integrator writes against: every action the loaded packs know (with
the effects their measures give it), and every catalog category with the columns of its
rows (the envelope's and the category's own fields, typed, required or not)."""

from __future__ import annotations

from typing import Any

from socialcredit.core.catalog import FieldType
from socialcredit.core.pack.model import Rulebook

ENVELOPE_COLUMNS: tuple[tuple[str, str, bool, str], ...] = (
    ("subject", "id", True, "resident ID number (GB 11643) or USCC (GB 32100)"),
    ("name", "text", False, "the subject's name"),
    ("category", "text", True, "this category's id"),
    ("agency", "text", True, "the submitting agency (one of the category's agencies)"),
    ("doc_no", "text", True, "the source document number; identifies the record"),
    ("decided_on", "date", True, "the date of the decision, YYYY-MM-DD"),
    ("status", "enum", False, "active (default), performed, revoked, corrected, expired..."),
    ("status_date", "date", False, "when the status took effect"),
)


def vocabulary(book: Rulebook) -> dict[str, Any]:
    """Actions and categories of ``book``, sorted by id."""
    return {
        "packs": {pack_id: pack.spec.revision for pack_id, pack in sorted(book.packs.items())},
        "actions": [_action(book, action) for action in sorted(book.actions)],
        "categories": [_category(book, category) for category in sorted(book.categories)],
    }


def _action(book: Rulebook, action: str) -> dict[str, Any]:
    title, defined_by = None, []
    for pack_id, pack in sorted(book.packs.items()):
        found = pack.spec.actions.get(action)
        if found is not None:
            title = title or found.title
            defined_by.append(pack_id)
    effects = sorted(
        {
            measure.effect
            for memo in book.memoranda
            for measure in memo.spec.measures
            if action in measure.actions
        }
    )
    return {
        "id": action,
        "domain": book.actions[action],
        "title": title,
        "shared": not defined_by,
        "defined_by": defined_by,
        "effects": effects,
    }


def _category(book: Rulebook, category_id: str) -> dict[str, Any]:
    pack, category, types = book.categories[category_id]
    envelope = [
        {"name": name, "type": kind, "required": required, "choices": [], "description": text}
        for name, kind, required, text in ENVELOPE_COLUMNS
    ]
    return {
        "id": category_id,
        "pack": pack.id,
        "title": category.title,
        "agencies": list(category.agencies),
        "disclosure": category.disclosure,
        "legal_basis": category.legal_basis,
        "columns": envelope + [_column(name, kind) for name, kind in types.items()],
    }


def _column(name: str, kind: FieldType) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind.base,
        "required": not kind.optional,
        "choices": list(kind.choices),
        "description": None,
    }
