"""The review deadline of an objection: the steps of kind review or reconsideration of the
list versions that govern the disputed record, counted in working days where the pack says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.schema import ProcessStep
from socialcredit.core.workdays import add_workdays

REVIEW_KINDS = ("review", "reconsideration")


def review_deadline(
    book: Rulebook, category: str, decided_on: dt.date, filed_on: dt.date
) -> dict[str, Any]:
    """When the review of an objection to a record of ``category`` is due.

    The steps are those of kind review or reconsideration of every list version that governs
    such a record (its ``entry_per`` category, in force on the record's decision date). The
    deadline follows the earliest-due review step that sets days; when no review step does,
    the earliest-due reconsideration step. ``exact`` is False where the working-day calendar
    does not cover the dates, or where the pack sets no deadline at all.
    """
    steps = review_steps(book, category, decided_on, filed_on)
    for kind in REVIEW_KINDS:
        timed = [s for s in steps if s["kind"] == kind and s["due_on"] is not None]
        if timed:
            chosen = min(timed, key=lambda s: s["due_on"])
            return {
                "due_on": chosen["due_on"],
                "exact": chosen["exact"],
                "follows": chosen,
                "steps": steps,
                "note": None,
            }
    note = f"the loaded packs set no review deadline for an objection to {category}"
    return {"due_on": None, "exact": False, "follows": None, "steps": steps, "note": note}


def review_steps(
    book: Rulebook, category: str, decided_on: dt.date, filed_on: dt.date
) -> list[dict[str, Any]]:
    """The review and reconsideration steps of every list version governing the record."""
    steps: list[dict[str, Any]] = []
    for list_id in book.lists:
        rule = book.list_rule_for(list_id, decided_on)
        if rule is None or rule.category != category:
            continue
        for step in rule.version.due_process:
            if step.kind not in REVIEW_KINDS:
                continue
            due, exact = _due(step, filed_on)
            steps.append(
                {
                    "list": list_id,
                    "rule_version": rule.version.in_force.isoformat(),
                    "step": step.id,
                    "kind": step.kind,
                    "days": step.days,
                    "day_kind": step.day_kind,
                    "counted_from": step.counted_from,
                    "legal_basis": book.cite(rule.pack, step.legal_basis).text,
                    "due_on": due,
                    "exact": exact,
                }
            )
    return steps


def _due(step: ProcessStep, filed_on: dt.date) -> tuple[dt.date | None, bool]:
    """When the step is due counted from ``filed_on``, and whether the count is exact."""
    if step.days is not None and step.day_kind == "working":
        counted = add_workdays(filed_on, step.days)
        return counted.due, counted.exact
    if step.days is not None:
        return filed_on + dt.timedelta(days=step.days), True
    return None, False
