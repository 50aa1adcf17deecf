"""One row per pack of the figures a reader compares first."""

from __future__ import annotations

from typing import Any

from socialcredit.core.auditor import Audit, Finding


def summary_rows(audit: Audit) -> list[dict[str, Any]]:
    """Per pack: findings by severity and the headline figure of each metric."""
    rows = []
    for pack in audit.packs:
        data = pack.as_dict()
        legality = data["legality"]
        below = [f for f in pack.findings if f.metric == "legality"]
        proportionality = data["proportionality"]
        rows.append(
            {
                "pack": data["pack"],
                "title": data["title"],
                "jurisdiction": data["jurisdiction"],
                "high": sum(f["severity"] == "high" for f in data["findings"]),
                "medium": sum(f["severity"] == "medium" for f in data["findings"]),
                "low": sum(f["severity"] == "low" for f in data["findings"]),
                "measures": legality["by_level"]["measures"]["total"],
                "legality_findings": len(below),
                "spillover_share": data["spillover"]["share"],
                "worst_ratio": proportionality[0]["ratio"] if proportionality else None,
                "collateral_rules": len(data["collateral"]),
                "open_ended_lists": sum(bool(d["open_ended"]) for d in data["duration"]),
                "missing_due_process": sum(bool(d["missing"]) for d in data["due_process"]),
                "vague_rules": len(data["vagueness"]),
                "conflicts": len(data["conflicts"]),
                "max_amplification": max((a["measures"] for a in data["amplification"]), default=0),
            }
        )
    return rows


SUMMARY_COLUMNS = [
    ("pack", "pack"),
    ("jurisdiction", "where"),
    ("high", "high"),
    ("medium", "medium"),
    ("low", "low"),
    ("measures", "measures"),
    ("legality_findings", "legal basis too low"),
    ("spillover_share", "spillover"),
    ("worst_ratio", "worst ratio"),
    ("max_amplification", "measures per listing"),
    ("collateral_rules", "reach others"),
    ("open_ended_lists", "open-ended lists"),
    ("missing_due_process", "due-process gaps"),
    ("vague_rules", "catch-alls"),
    ("conflicts", "conflicts"),
]


def cell(key: str, value: Any) -> str:
    """A summary value as the reports print it (shares as percentages)."""
    if value is None:
        return "–"
    if key.endswith("_share"):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def headline(findings: list[Finding], total: int = 30, per_metric: int = 6) -> list[Finding]:
    """The worst findings, at most ``per_metric`` of one metric, so that one kind of problem
    repeated across many rules does not hide the others (the order stays worst first)."""
    taken: list[Finding] = []
    counts: dict[str, int] = {}
    for finding in findings:
        if counts.get(finding.metric, 0) < per_metric:
            taken.append(finding)
            counts[finding.metric] = counts.get(finding.metric, 0) + 1
        if len(taken) == total:
            break
    return taken


def pack_paragraphs(audit: Audit) -> list[tuple[str, str]]:
    """Per pack, its headline figures in a few plain sentences."""
    paragraphs = []
    for pack, row in zip(audit.packs, summary_rows(audit), strict=True):
        sentences = [_counts(row)]
        if row["legality_findings"]:
            sentences.append(
                f"{row['legality_findings']} of its memoranda or blacklists rest on a source "
                f"below what {row['jurisdiction']} requires."
            )
        if row["spillover_share"]:
            sentences.append(
                f"{row['spillover_share']:.0%} of its sanctions act in areas of life unrelated "
                "to the conduct."
            )
        rows = pack.metrics["proportionality"]
        if rows:
            worst = rows[0]
            sentences.append(
                f"Its worst proportionality ratio is {worst['ratio']:g} ('{worst['measure']}')."
            )
        widest = max(pack.metrics["amplification"], key=lambda a: a["measures"], default=None)
        if widest and widest["measures"]:
            sentences.append(
                f"One entry on '{widest['trigger']}' sets off {widest['measures']} measure(s) "
                f"by {len(widest['agencies'])} agency(ies)."
            )
        if row["missing_due_process"]:
            sentences.append(
                f"{row['missing_due_process']} of its lists or ratings lack a due-process path."
            )
        paragraphs.append((row["pack"], " ".join(sentences)))
    return paragraphs


def _counts(row: dict[str, Any]) -> str:
    measures = row["measures"]
    findings = f"{row['high']} high, {row['medium']} medium and {row['low']} low finding(s)"
    if not measures:
        return f"No measure of its own in force; {findings}."
    return f"{measures} measure(s) in force; {findings}."
