"""Legality: the level of the legal source behind each category, list and measure, and the
rights-reducing measures (and blacklist criteria) resting on less than the jurisdiction's
table requires."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from socialcredit.core.auditor.findings import HIGH, Finding
from socialcredit.core.auditor.scales import Scales
from socialcredit.core.auditor.scope import pack_lists, pack_measures
from socialcredit.core.pack.model import Citation, Pack, Rulebook
from socialcredit.core.pack.schema import Level

CHECKED = ("V", "S")


def legality(
    book: Rulebook, pack: Pack, day: dt.date, scales: Scales
) -> tuple[dict[str, Any], list[Finding]]:
    """Shares of items by source level, and the findings below the required level."""
    measures = pack_measures(book, pack, day)
    cited = {
        "categories": [book.cite(pack, c.legal_basis) for c in pack.spec.catalog.values()],
        "lists": [book.cite(pack, r.version.legal_basis) for r in pack_lists(book, pack, day)],
        "measures": [book.cite(pack, m.measure.legal_basis) for m in measures],
    }
    shares = {kind: _levels(citations) for kind, citations in cited.items()}
    rule = scales.legality_rule(pack.spec.jurisdiction)
    result: dict[str, Any] = {"by_level": shares, "table": None, "below_required": []}
    if rule is None:
        return result, []
    key, table = rule
    result["table"] = {"jurisdiction": key, **table}
    findings = _measures_below(book, pack, day, scales, table["measures"], key)
    findings += _lists_below(book, pack, day, table["lists"], key)
    result["below_required"] = [f.as_dict() for f in findings]
    return result, findings


def _levels(citations: list[Any]) -> dict[str, Any]:
    counts = Counter(c.level for c in citations)
    order = [level.value for level in Level]
    return {
        "total": len(citations),
        "levels": {level: counts[level] for level in order if counts[level]},
        "checked_share": (
            sum(c.confidence in CHECKED for c in citations) / len(citations) if citations else None
        ),
    }


def accepted(level: str, issued_by: str | None, rule: dict[str, Any]) -> bool:
    """Whether a source of this level and issuer meets one row of the legality table."""
    if level in rule.get("levels", []):
        return True
    issuers = rule.get("issued_by", [])
    return issued_by is not None and any(name in issued_by for name in issuers)


def _measures_below(
    book: Rulebook, pack: Pack, day: dt.date, scales: Scales, rule: dict[str, Any], key: str
) -> list[Finding]:
    """Rights-reducing measures below the required level, one finding per memorandum."""
    below: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in pack_measures(book, pack, day):
        if not scales.reduces_rights(item.measure.effect):
            continue
        citation = book.cite(pack, item.measure.legal_basis)
        source = pack.source(citation.source_id)
        if not accepted(citation.level, source.issued_by if source else None, rule):
            below[item.memo.memorandum_id].append((item.measure.id, _short(citation)))
    return [
        Finding(
            pack.id,
            "legality",
            HIGH,
            memo,
            f"{len(rows)} rights-reducing measure(s) of '{memo}' ({_some(m for m, _ in rows)}) "
            f"rest on {', '.join(sorted({c for _, c in rows}))}; "
            f"{key} requires {_required(rule)}.",
            score=len(rows),
        )
        for memo, rows in below.items()
    ]


def _some(names: Iterable[str], shown: int = 4) -> str:
    listed = list(names)
    more = f" and {len(listed) - shown} more" if len(listed) > shown else ""
    return ", ".join(listed[:shown]) + more


def _short(citation: Citation) -> str:
    return f"a {_words(citation.level)} ({citation.source_id})"


def _lists_below(
    book: Rulebook, pack: Pack, day: dt.date, rule: dict[str, Any], key: str
) -> list[Finding]:
    findings = []
    for list_rule in pack_lists(book, pack, day):
        if list_rule.definition.kind != "blacklist":
            continue
        citation = book.cite(pack, list_rule.version.legal_basis)
        source = pack.source(citation.source_id)
        if accepted(citation.level, source.issued_by if source else None, rule):
            continue
        findings.append(
            Finding(
                pack.id,
                "legality",
                HIGH,
                list_rule.label,
                f"the blacklist '{list_rule.list_id}' sets its criteria in "
                f"{_short(citation)}; {key} requires {_required(rule)}.",
            )
        )
    return findings


def _words(level: str) -> str:
    return level.replace("_", " ")


def _required(rule: dict[str, Any]) -> str:
    levels = [_words(level) for level in rule.get("levels", [])]
    issuers = rule.get("issued_by", [])
    text = " or ".join([", ".join(levels[:-1]), levels[-1]] if len(levels) > 1 else levels)
    return text + (f", or a document issued by the {' or '.join(issuers)}" if issuers else "")
