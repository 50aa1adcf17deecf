"""The audit of one or more packs: every metric per pack, and the findings worst first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from socialcredit.core.auditor.conflicts import Conflict, find_conflicts
from socialcredit.core.auditor.findings import Finding, worst_first
from socialcredit.core.auditor.governance import governance
from socialcredit.core.auditor.legality import legality
from socialcredit.core.auditor.periods import Periods, listing_periods
from socialcredit.core.auditor.process import due_process, durations, vagueness
from socialcredit.core.auditor.proportionality import proportionality
from socialcredit.core.auditor.reach import amplification, collateral, spillover
from socialcredit.core.auditor.scales import Scales
from socialcredit.core.pack.model import Pack, Rulebook

Progress = Callable[[str], None]


@dataclass
class PackAudit:
    """Every metric of one pack, as JSON-ready data, and its findings."""

    pack: Pack
    metrics: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        spec = self.pack.spec
        return {
            "pack": spec.id,
            "title": spec.title,
            "jurisdiction": spec.jurisdiction,
            "revision": spec.revision,
            **self.metrics,
            "findings": [f.as_dict() for f in worst_first(self.findings)],
        }


@dataclass
class Audit:
    """The audit of several packs on one date with one set of scales."""

    as_of: dt.date
    scales: Scales
    packs: list[PackAudit]
    conflicts: list[Conflict]

    @property
    def findings(self) -> list[Finding]:
        """Every finding once, worst first: a conflict between two audited packs is one
        finding (of "pack + pack"), though each pack's own list shows it too."""
        own = [f for p in self.packs for f in p.findings if f.metric != "conflicts"]
        audited = {p.pack.id for p in self.packs}
        joint = [c.finding(" + ".join(c.packs)) for c in self.conflicts if audited & set(c.packs)]
        return worst_first(own + joint)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "scales": self.scales.data,
            "packs": [p.as_dict() for p in self.packs],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "findings": [f.as_dict() for f in self.findings],
        }


def all_periods(book: Rulebook, day: dt.date) -> dict[str, Periods]:
    """The listing periods of every list of the book in force on ``day``."""
    found = {}
    for list_id in book.lists:
        rule = book.list_rule_for(list_id, day)
        if rule is not None:
            found[list_id] = listing_periods(book, rule, day)
    return found


def audit(
    book: Rulebook,
    pack_ids: list[str],
    day: dt.date,
    scales: Scales,
    progress: Progress | None = None,
) -> Audit:
    """Audit the named packs of ``book`` as of ``day`` (other loaded packs count for
    amplification and conflicts: a listing reaches every loaded pack's measures)."""
    tell = progress or (lambda _: None)
    tell("listing periods")
    periods = all_periods(book, day)
    tell("conflicts")
    conflicts = find_conflicts(book, day)
    audits = []
    for pack_id in pack_ids:
        tell(pack_id)
        audits.append(audit_pack(book, book.packs[pack_id], day, scales, periods, conflicts))
    return Audit(day, scales, audits, conflicts)


def audit_pack(
    book: Rulebook,
    pack: Pack,
    day: dt.date,
    scales: Scales,
    periods: dict[str, Periods],
    conflicts: list[Conflict],
) -> PackAudit:
    """Every metric of one pack."""
    metrics: dict[str, Any] = {}
    findings: list[Finding] = []
    for name, (value, found) in (
        ("legality", legality(book, pack, day, scales)),
        ("amplification", amplification(book, pack, day, scales)),
        ("spillover", spillover(book, pack, day, scales)),
        ("proportionality", proportionality(book, pack, day, scales, periods)),
        ("collateral", collateral(book, pack, day)),
        ("duration", durations(book, pack, day, periods)),
        ("due_process", due_process(book, pack, day, scales)),
        ("vagueness", vagueness(book, pack, day)),
        ("governance", governance(book, pack, day)),
    ):
        metrics[name] = value
        findings += found
    own = [c for c in conflicts if pack.id in c.packs]
    metrics["conflicts"] = [c.as_dict() for c in own]
    findings += [c.finding(pack.id) for c in own]
    return PackAudit(pack, metrics, findings)
