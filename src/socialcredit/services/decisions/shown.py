"""A decision's reasons as a caller may see them: the rule that hides ratings and measures in
a credit file (``services.access.visibility``), applied to the triggers of a decision.

The decision itself is never cut: a caller who may decide an action gets the effect and
every measure that governs it, with its memorandum and legal basis, because the law makes
the measure apply and the deciding agency must be able to say on what ground it acts. What
it does not get is what triggered the measure beyond its kind and name, when that was built
from records its scope may not read: a rating's grade, score, contributions and records (a
grade is readable only by a caller who may read every category that can count in it), a
list entry's record and the wordings filled from it (the list, the entry's id and its
dates stay). That a measure follows some grade of that rating is in the public pack; the
grade computed from records the caller may not read, and the records, are not. Unlike the
credit file, which hides such a measure whole, a decision cannot: its effect already says
that the measure applies."""

from __future__ import annotations

from typing import Any

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import may_read, rating_readable

RATING_KEPT = ("kind", "rating", "title", "subject", "rule_version", "pack", "legal_basis")
RATING_EMPTIED: dict[str, Any] = {
    "grade": None,
    "score": None,
    "direct_by": None,
    "capped_by": None,
    "after_band": [],
    "contagion": None,
    "contributions": [],
    "records": [],
}
ENTRY_EMPTIED: dict[str, Any] = {
    "reason": None,
    "public": None,
    "public_period": None,
    "public_way_off": None,
    "records": [],
}


def shown_reasons(
    book: Rulebook, caller: Principal, reasons: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``reasons`` (of ``Decision.as_dict``) with every trigger, the reason's and each of its
    sources', as ``shown_trigger`` gives it to the caller."""
    return [
        {
            **reason,
            "trigger": shown_trigger(book, caller, reason["trigger"]),
            "sources": [
                {**source, "trigger": shown_trigger(book, caller, source["trigger"])}
                for source in reason.get("sources", [])
            ],
        }
        for reason in reasons
    ]


def shown_trigger(book: Rulebook, caller: Principal, trigger: dict[str, Any]) -> dict[str, Any]:
    """The trigger as the engine explains it when the caller may read what it was built
    from; else reduced, with ``withheld`` true: a rating to its name, an entry to its list,
    its id (``entry``: the record behind it, as ``determining`` names it) and its dates."""
    subject = trigger["subject"]
    readable = all(may_read(book, caller, r["category"], subject) for r in trigger["records"])
    if trigger["kind"] == "rating":
        if readable and rating_readable(book, caller, trigger["rating"], subject):
            return trigger
        kept = {key: trigger[key] for key in RATING_KEPT}
        return {**kept, **RATING_EMPTIED, "withheld": True}
    if readable:
        return trigger
    entry = trigger["records"][0]["id"] if trigger["records"] else None
    return {**trigger, **ENTRY_EMPTIED, "entry": entry, "withheld": True}
