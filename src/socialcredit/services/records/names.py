"""Whose word sets a subject's name (issue 13 item 15).

A subject's name comes from registration sources: the records of a catalog category whose
domain is ``registration`` (the market regulator's registration of an organisation). A
subject first seen in any record takes the name that record reports, if any; after that,
other agencies' names are kept as they reported them (in the record's original values) and
never rename the subject. Every name given (the first one too) is kept with the name it
replaced, the agency, category, record and batch that gave it, and when (``subject_names``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import Submission

REGISTRATION = "registration"


def registers_names(book: Rulebook, category: str) -> bool:
    """Is ``category`` a registration source, whose names a subject takes?"""
    found = book.categories.get(category)
    return found is not None and found[1].domain == REGISTRATION


def name_change(
    book: Rulebook, submission: Submission, known: str | None, batch_id: str
) -> dict[str, Any] | None:
    """The ``subject_names`` row that the submission's reported name makes, given the name
    ``known`` for its subject (None: no name yet), or None when it changes nothing."""
    name, record = submission.subject.name, submission.record
    if not name or name == known:
        return None
    if known is not None and not registers_names(book, record.category):
        return None
    return {
        "subject_id": record.subject,
        "name": name,
        "previous": known,
        "agency": record.agency,
        "category": record.category,
        "record_id": record.id,
        "batch_id": batch_id,
        "at": dt.datetime.now(dt.UTC),
    }
