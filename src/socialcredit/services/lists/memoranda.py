"""Memoranda as the packs define them: what triggers them, and each measure with its
implementing agency, actions, effect, targets, duration and legal basis resolved."""

from __future__ import annotations

from typing import Any

from socialcredit.core.pack.model import MemorandumRule, Rulebook


def memorandum_definitions(book: Rulebook, list_id: str | None = None) -> list[dict[str, Any]]:
    """Every memorandum (or those a list triggers), in pack order."""
    return [
        _memorandum(book, memo)
        for memo in book.memoranda
        if list_id is None or memo.spec.trigger.list_id == list_id
    ]


def _memorandum(book: Rulebook, memo: MemorandumRule) -> dict[str, Any]:
    spec, pack = memo.spec, memo.pack
    trigger = spec.trigger
    return {
        "id": memo.memorandum_id,
        "title": spec.title,
        "pack": pack.id,
        "in_force": spec.in_force.isoformat(),
        "until": spec.until.isoformat() if spec.until else None,
        "source": book.cite(pack, spec.source).as_dict(),
        "confidence": spec.confidence,
        "signatories": list(spec.signatories),
        "trigger": {"list": trigger.list_id, "rating": trigger.rating, "grades": trigger.grades},
        "measures": [
            {
                "id": m.id,
                "description": m.description,
                "agency": m.agency,
                "actions": list(m.actions),
                "effect": m.effect,
                "targets": list(m.targets),
                "domain": m.domain,
                "lasts": m.lasts,
                "when": " ".join(str(m.when).split()) if m.when else None,
                "legal_basis": book.cite(pack, m.legal_basis).as_dict(),
                "confidence": m.confidence,
            }
            for m in spec.measures
        ],
    }
