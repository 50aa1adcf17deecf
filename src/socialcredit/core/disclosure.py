"""The disclosure class of what a rulebook produces: a category's records, and a rating's
grades. Pure, so that every engine (the reference engine's feed and the compiled batch plan)
labels its output alike."""

from __future__ import annotations

from socialcredit.core.access import DISCLOSURES
from socialcredit.core.pack.model import Rulebook


def disclosure_of(book: Rulebook, category: str | None) -> str | None:
    """The disclosure class of a category; None for a category no loaded pack defines."""
    found = book.categories.get(category or "")
    return found[1].disclosure if found else None


def rating_categories(book: Rulebook, rating_id: str) -> set[str]:
    """Every category that can count in a rating, in any of its versions."""
    return {
        per.category
        for rule in book.ratings.get(rating_id, [])
        for per in (
            *(c[1] for c in rule.contributions),
            *(d[1] for d in rule.direct),
            *(c[1] for c in rule.caps),
            *(e[1] for e in rule.eligible),
        )
    }


def rating_disclosure(book: Rulebook, rating_id: str) -> str:
    """The disclosure class of a grade: that of its most restricted category, and never
    public (the public gets no ratings)."""
    classes = [disclosure_of(book, c) or "restricted" for c in rating_categories(book, rating_id)]
    return max(["shared", *classes], key=DISCLOSURES.index)
