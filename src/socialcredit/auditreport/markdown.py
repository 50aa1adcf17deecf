"""The audit as markdown: the same sections as the HTML report, charts as linked files."""

from __future__ import annotations

from typing import Any

import yaml

from socialcredit.auditreport.summary import (
    SUMMARY_COLUMNS,
    cell,
    headline,
    pack_paragraphs,
    summary_rows,
)
from socialcredit.auditreport.words import HOW_TO_READ, METRICS
from socialcredit.core.auditor import Audit

FINDINGS_SHOWN = 30


def render_markdown(audit: Audit, chart_links: dict[str, str] | None = None) -> str:
    """The report as markdown; ``chart_links`` maps a chart name to the file to link."""
    links = chart_links or {}
    lines = [
        "# Rule-of-law audit",
        "",
        f"As of {audit.as_of.isoformat()}; packs: {', '.join(p.pack.id for p in audit.packs)}.",
        "",
        "## How to read this report",
        "",
        *(f"- {text}" for text in HOW_TO_READ),
        "",
        *_worst(audit),
        *_summary(audit),
    ]
    for metric, (question, how) in METRICS.items():
        lines += [f"## {question}", "", how, ""]
        if metric in links:
            lines += [f"![{metric}]({links[metric]})", ""]
        lines += _metric_findings(audit, metric)
    lines += [
        "## Parameters used",
        "",
        "```yaml",
        yaml.safe_dump(audit.scales.data, allow_unicode=True, sort_keys=False).rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _worst(audit: Audit) -> list[str]:
    findings = audit.findings
    lines = [f"## The worst findings first ({len(findings)} in all)", ""]
    lines += ["| severity | pack | what | finding |", "| --- | --- | --- | --- |"]
    for f in headline(findings, FINDINGS_SHOWN):
        lines.append(f"| {f.as_dict()['severity']} | {f.pack} | {f.metric} | {_escape(f.text)} |")
    return [*lines, ""]


def _summary(audit: Audit) -> list[str]:
    rows = summary_rows(audit)
    lines = ["## The packs side by side", ""]
    lines.append("| " + " | ".join(label for _, label in SUMMARY_COLUMNS) + " |")
    lines.append("|" + " --- |" * len(SUMMARY_COLUMNS))
    for row in rows:
        lines.append("| " + " | ".join(cell(k, row[k]) for k, _ in SUMMARY_COLUMNS) + " |")
    lines.append("")
    for pack, text in pack_paragraphs(audit):
        lines += [f"**{pack}**: {text}", ""]
    return lines


def _metric_findings(audit: Audit, metric: str) -> list[str]:
    lines = []
    for pack in audit.packs:
        found = [f for f in pack.findings if f.metric == metric]
        if not found:
            continue
        lines += [f"**{pack.pack.id}**", ""]
        lines += [f"- ({f.as_dict()['severity']}) {_escape(f.text)}" for f in found]
        lines.append("")
    if metric == "conflicts":
        lines += _witnesses(audit)
    return lines or ["No finding.", ""]


def _witnesses(audit: Audit) -> list[str]:
    lines = []
    for conflict in audit.conflicts:
        data: dict[str, Any] = conflict.scenario
        lines += [
            f"Witness: {data['name']}",
            "",
            "```yaml",
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip(),
            "```",
            "",
        ]
    return lines


def _escape(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
