"""How far a listing reaches: amplification (measures and agencies that follow one listing),
spillover (measures in domains unrelated to the conduct) and collateral reach (measures on
persons other than the subject, and contagion of grades between organisations)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from socialcredit.core.auditor.findings import LOW, MEDIUM, Finding
from socialcredit.core.auditor.scales import Scales
from socialcredit.core.auditor.scope import (
    MeasureItem,
    book_measures,
    pack_measures,
    pack_ratings,
    trigger_conduct,
)
from socialcredit.core.pack.model import Pack, Rulebook

WIDE_REACH_AGENCIES = 5


def amplification(
    book: Rulebook, pack: Pack, day: dt.date, scales: Scales
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """For each list and rating the pack defines: what one listing sets off, across every
    loaded pack."""
    triggers: dict[str, list[MeasureItem]] = defaultdict(list)
    for item in book_measures(book, day):
        triggers[item.trigger_name].append(item)
    own = [
        *pack.spec.lists,
        *(
            name
            for name in triggers
            if any(name.startswith(f"{r} grade") for r in pack.spec.ratings)
        ),
    ]
    rows, findings = [], []
    for name in own:
        items = triggers.get(name, [])
        row = _set_off(name, items, scales)
        rows.append(row)
        agencies = row["agencies"]
        if len(agencies) >= WIDE_REACH_AGENCIES:
            findings.append(
                Finding(
                    pack.id,
                    "amplification",
                    MEDIUM,
                    name,
                    f"one entry on '{name}' sets off {len(items)} measures by {len(agencies)} "
                    f"agencies over {row['actions']} actions in {len(row['domains'])} domains.",
                    score=len(items),
                )
            )
    return rows, findings


def _set_off(name: str, items: list[MeasureItem], scales: Scales) -> dict[str, Any]:
    """What the measures triggered by one entry add up to."""
    return {
        "trigger": name,
        "measures": len(items),
        "rights_reducing": sum(scales.reduces_rights(i.measure.effect) for i in items),
        "agencies": sorted({i.measure.agency for i in items}),
        "actions": len({a for i in items for a in i.measure.actions}),
        "domains": sorted({i.measure.domain for i in items}),
        "packs": sorted({i.pack.id for i in items}),
    }


def spillover(
    book: Rulebook, pack: Pack, day: dt.date, scales: Scales
) -> tuple[dict[str, Any], list[Finding]]:
    """Measures whose domain is unrelated to every domain of the conduct that triggers them
    (rewards are left out: the AI Act speaks of detrimental treatment)."""
    measures = [m for m in pack_measures(book, pack, day) if m.measure.effect != "reward"]
    rows = []
    for item in measures:
        conduct = sorted({domain for _, domain in trigger_conduct(book, item.memo, day)})
        unrelated = not any(scales.related(item.measure.domain, d) for d in conduct)
        rows.append(
            {
                "measure": item.key,
                "effect": item.measure.effect,
                "domain": item.measure.domain,
                "conduct_domains": conduct,
                "spillover": unrelated,
            }
        )
    spilled = [r for r in rows if r["spillover"]]
    share = len(spilled) / len(rows) if rows else None
    findings = _spillover_findings(pack, rows)
    result = {"measures": len(rows), "spillover": len(spilled), "share": share, "rows": rows}
    return result, findings


def _spillover_findings(pack: Pack, rows: list[dict[str, Any]]) -> list[Finding]:
    by_memo: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_memo[row["measure"].split("/")[0]].append(row)
    findings = []
    for memo, memo_rows in by_memo.items():
        spilled = [r for r in memo_rows if r["spillover"]]
        if not spilled:
            continue
        domains = sorted({r["domain"] for r in spilled})
        conduct = sorted({d for r in spilled for d in r["conduct_domains"]})
        findings.append(
            Finding(
                pack.id,
                "spillover",
                MEDIUM,
                memo,
                f"{len(spilled)} of {len(memo_rows)} measures of '{memo}' act in "
                f"{', '.join(domains)}, unrelated to the {', '.join(conduct)} conduct that "
                "triggers them.",
                score=len(spilled),
            )
        )
    return findings


def collateral(
    book: Rulebook, pack: Pack, day: dt.date
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Measures on persons other than the subject, and grade contagion, with their basis."""
    rows: list[dict[str, Any]] = []
    for item in pack_measures(book, pack, day):
        others = [t for t in item.measure.targets if t != "subject"]
        if others:
            rows.append(
                {
                    "rule": item.key,
                    "kind": "measure",
                    "effect": item.measure.effect,
                    "roles": others,
                    "basis": book.cite(pack, item.measure.legal_basis).text,
                }
            )
    for rating in pack_ratings(book, pack, day):
        for rule in rating.version.contagion:
            rows.append(
                {
                    "rule": f"{rating.rating_id}/{rule.id}",
                    "kind": "contagion",
                    "effect": f"grade {rule.grade}",
                    "roles": list(rule.roles),
                    "basis": book.cite(pack, rule.legal_basis).text,
                }
            )
    return rows, _collateral_findings(pack, rows)


def _collateral_findings(pack: Pack, rows: list[dict[str, Any]]) -> list[Finding]:
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_rule[row["rule"].split("/")[0]].append(row)
    findings = []
    for rule, rule_rows in by_rule.items():
        roles = sorted({role for r in rule_rows for role in r["roles"]})
        contagion = any(r["kind"] == "contagion" for r in rule_rows)
        names = ", ".join(r.replace("_", " ") for r in roles)
        basis = rule_rows[0]["basis"]
        text = (
            f"'{rule}': a grade passes to other organisations through a shared {names} ({basis})."
            if contagion
            else f"'{rule}': {len(rule_rows)} measure(s) reach persons other than the subject: "
            f"its {names} ({basis})."
        )
        severity = MEDIUM if len(roles) > 1 or contagion else LOW
        findings.append(Finding(pack.id, "collateral", severity, rule, text, len(rule_rows)))
    return findings
