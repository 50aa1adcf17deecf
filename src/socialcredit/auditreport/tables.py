"""The detail tables of each metric, as (title, header, rows) ready for a template.

Each ``*_table`` function takes the audit and returns one such table; ``TABLES`` lists them
by metric in the order the report shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcredit.core.auditor import Audit

Table = tuple[str, list[str], list[list[str]]]


def _join(values: Any) -> str:
    return ", ".join(str(v) for v in values) if values else "–"


def legality_table(audit: Audit) -> Table:
    rows = []
    for pack in audit.packs:
        by_level = pack.metrics["legality"]["by_level"]
        for kind in ("categories", "lists", "measures"):
            data = by_level[kind]
            levels = _join(f"{n} {level.replace('_', ' ')}" for level, n in data["levels"].items())
            share = data["checked_share"]
            rows.append(
                [
                    pack.pack.id,
                    kind,
                    str(data["total"]),
                    levels,
                    "–" if share is None else f"{share:.0%}",
                ]
            )
    return (
        "Legal sources by level",
        ["pack", "items", "count", "by level", "checked against the text (V or S)"],
        rows,
    )


def requirement_table(audit: Audit) -> Table:
    used: dict[str, list[str]] = {}
    unchecked = []
    for pack in audit.packs:
        table = pack.metrics["legality"]["table"]
        if table is None:
            unchecked.append(pack.pack.id)
        else:
            used.setdefault(table["jurisdiction"], []).append(pack.pack.id)
    rows = []
    for key, packs in used.items():
        table = audit.scales.data["legality"][key]
        rows.append(
            [
                key,
                _join(packs),
                _join(table["measures"]["levels"]),
                _join(table["lists"]["levels"] + table["lists"].get("issued_by", [])),
                " ".join(str(table["basis"]).split()) + f" [{table.get('confidence', '?')}]",
            ]
        )
    if unchecked:
        rows.append(["(none)", _join(unchecked), "unchecked", "unchecked", "no table entry"])
    return (
        "What each jurisdiction requires",
        [
            "table entry",
            "packs",
            "rights-reducing measures",
            "blacklist criteria (levels or issuers)",
            "basis",
        ],
        rows,
    )


def amplification_table(audit: Audit) -> Table:
    rows = [
        [
            p.pack.id,
            a["trigger"],
            str(a["measures"]),
            str(a["rights_reducing"]),
            str(len(a["agencies"])),
            str(a["actions"]),
            _join(a["domains"]),
            _join(a["packs"]),
        ]
        for p in audit.packs
        for a in p.metrics["amplification"]
    ]
    return (
        "What one entry sets off",
        [
            "pack",
            "list or grade",
            "measures",
            "rights-reducing",
            "agencies",
            "actions",
            "domains",
            "from packs",
        ],
        rows,
    )


def spillover_table(audit: Audit) -> Table:
    rows = [
        [p.pack.id, r["measure"], r["effect"], r["domain"], _join(r["conduct_domains"])]
        for p in audit.packs
        for r in p.metrics["spillover"]["rows"]
        if r["spillover"]
    ]
    return (
        "Measures in unrelated domains",
        ["pack", "measure", "effect", "measure's domain", "conduct's domain"],
        rows,
    )


def proportionality_table(audit: Audit, per_pack: int = 8) -> Table:
    rows = [
        [
            p.pack.id,
            r["measure"],
            r["effect"],
            f"{r['severity']:g}",
            f"{r['years']:g}",
            r["years_from"],
            r["conduct"],
            f"{r['gravity']:g}",
            f"{r['ratio']:g}",
        ]
        for p in audit.packs
        for r in p.metrics["proportionality"][:per_pack]
    ]
    return (
        f"Worst ratios (up to {per_pack} per pack)",
        [
            "pack",
            "measure",
            "effect",
            "severity",
            "years",
            "years from",
            "conduct",
            "gravity",
            "ratio",
        ],
        rows,
    )


def collateral_table(audit: Audit) -> Table:
    rows = [
        [p.pack.id, r["rule"], r["kind"], r["effect"], _join(r["roles"]), r["basis"]]
        for p in audit.packs
        for r in p.metrics["collateral"]
    ]
    return (
        "Reach beyond the subject",
        ["pack", "rule", "kind", "effect", "reaches", "basis"],
        rows,
    )


def duration_table(audit: Audit) -> Table:
    rows = [
        [
            p.pack.id,
            d["list"],
            str(d["cases"]),
            str(d["listed"]),
            str(d["open_ended"]),
            "–" if d["shortest_days"] is None else str(d["shortest_days"]),
            "–" if d["longest_days"] is None else str(d["longest_days"]),
            _join(d["set_by_decision"]),
            d["publication_max"] or "–",
        ]
        for p in audit.packs
        for d in p.metrics["duration"]
    ]
    return (
        "Planned listing periods over the boundary cases",
        [
            "pack",
            "list",
            "cases run",
            "cases listed",
            "open-ended",
            "shortest (days)",
            "longest (days)",
            "end set by the decision's",
            "publication maximum",
        ],
        rows,
    )


def due_process_table(audit: Audit) -> Table:
    rows = []
    for pack in audit.packs:
        for d in pack.metrics["due_process"]:
            cells = [
                _join(
                    f"{s['kind']} ({s['deadline']})" if s["deadline"] else s["kind"] for s in steps
                )
                if steps
                else "NONE"
                for steps in d["paths"].values()
            ]
            rows.append([pack.pack.id, d["rule"], d["kind"], *cells])
    paths = list(audit.scales.due_process_paths)
    return ("Paths and deadlines", ["pack", "list or rating", "kind", *paths], rows)


def vagueness_table(audit: Audit) -> Table:
    rows = [
        [p.pack.id, v["rule"], v["kind"], " ".join(str(v["wording"]).split())]
        for p in audit.packs
        for v in p.metrics["vagueness"]
    ]
    return ("Catch-all wording", ["pack", "rule", "where", "wording of the source"], rows)


def conflicts_table(audit: Audit) -> Table:
    rows = [
        [
            c.action,
            f"{c.first.key} ({c.first.measure.effect})",
            f"{c.second.key} ({c.second.measure.effect})",
            c.effect,
            _join(c.packs),
        ]
        for c in audit.conflicts
    ]
    return (
        "Conflicting rules",
        ["action", "one rule", "the other", "engine decides", "packs"],
        rows,
    )


TABLES: dict[str, list[Callable[[Audit], Table]]] = {
    "legality": [legality_table, requirement_table],
    "amplification": [amplification_table],
    "spillover": [spillover_table],
    "proportionality": [proportionality_table],
    "collateral": [collateral_table],
    "duration": [duration_table],
    "due_process": [due_process_table],
    "vagueness": [vagueness_table],
    "conflicts": [conflicts_table],
}
