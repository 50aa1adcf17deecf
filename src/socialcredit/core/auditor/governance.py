"""Governance: what the loaded governing packs (catalogue, penalty list, severe-list rules)
find in a pack on the audit date, counted by kind and by the edition that finds it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from socialcredit.core.auditor.findings import HIGH, MEDIUM, Finding
from socialcredit.core.governance import governance_findings
from socialcredit.core.pack.model import Pack, Rulebook

SERIOUS = ("severe_list_basis", "compelled_measure")


def governance(book: Rulebook, pack: Pack, day: dt.date) -> tuple[dict[str, Any], list[Finding]]:
    """Violations of the governing packs' rules by ``pack`` on ``day``: their number, by
    kind and by edition (``<governing pack> <edition>``), and one finding each."""
    found = [f for f in governance_findings(book, day) if f.pack == pack.id]
    value = {
        "violations": len(found),
        "by_kind": dict(sorted(Counter(f.kind for f in found).items())),
        "by_edition": dict(
            sorted(Counter(f"{f.governing_pack} {f.edition}" for f in found).items())
        ),
    }
    findings = [
        Finding(
            pack.id,
            "governance",
            HIGH if f.kind in SERIOUS else MEDIUM,
            f.item,
            f"{f.text}: {f.legal_basis} [{f.confidence}] ({f.governing_pack} {f.edition}).",
        )
        for f in found
    ]
    return value, findings
