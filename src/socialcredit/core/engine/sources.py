"""One reason per measure: the same measure (same id, effect and target) applied under
several memoranda or through several list entries, such as ``no-flights`` under the SPC's
consumption rules and under the joint-sanctions memorandum, is listed once, with every
source (memorandum, legal basis and the entry or grade that triggered it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RANK = {"deny": 0, "restrict": 1, "scrutinise": 2, "reward": 3, "allow": 4}


def _key(reason: dict[str, Any]) -> tuple[Any, ...]:
    return (reason["measure"], reason["effect"], reason["target"], reason["via"])


def _order(reason: dict[str, Any]) -> tuple[Any, ...]:
    """Most restrictive first, then by memorandum, measure, target and trigger: the same
    reasons give the same list whatever order the records came in."""
    trigger = reason["trigger"]
    records = tuple(r["id"] for r in trigger.get("records") or ())
    triggered_by = (trigger["kind"], trigger.get("list") or trigger.get("rating") or "")
    return (
        RANK.get(reason["effect"], 5),
        reason["memorandum"]["id"],
        reason["measure"],
        reason["target"],
        reason["via"] or "",
        triggered_by,
        trigger.get("starts") or "",
        records,
    )


def source_of(reason: dict[str, Any]) -> dict[str, Any]:
    """The memorandum a reason comes from, its measure's legal basis there, and what
    triggered it."""
    return {
        "memorandum": reason["memorandum"],
        "legal_basis": reason["legal_basis"],
        "confidence": reason.get("confidence"),
        "trigger": reason["trigger"],
    }


def merged(reasons: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``reasons`` in a fixed order (``_order``), each measure once: the first keeps its place
    and gains ``sources``; it is determining if any was, starts with the earliest and
    lasts until the latest (open-ended if any is)."""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for reason in sorted(reasons, key=_order):
        first = found.get(_key(reason))
        if first is None:
            found[_key(reason)] = {**reason, "sources": [source_of(reason)]}
            continue
        first["sources"].append(source_of(reason))
        first["determining"] = first.get("determining") or reason.get("determining")
        first["starts"] = min(first["starts"], reason["starts"])
        ends = (first["until"], reason["until"])
        first["until"] = None if None in ends else max(ends)
        first["public"] = first.get("public") or reason.get("public")
    return list(found.values())
