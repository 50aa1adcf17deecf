"""The audit as one self-contained HTML page: Jinja2 template, charts inline as SVG."""

from __future__ import annotations

import jinja2
import yaml

from socialcredit.auditreport.charts import chart_svgs
from socialcredit.auditreport.summary import (
    SUMMARY_COLUMNS,
    cell,
    headline,
    pack_paragraphs,
    summary_rows,
)
from socialcredit.auditreport.tables import TABLES
from socialcredit.auditreport.words import HOW_TO_READ, METRICS
from socialcredit.core.auditor import Audit

FINDINGS_SHOWN = 30

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("socialcredit.auditreport", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(audit: Audit) -> str:
    """The whole report as one HTML document."""
    template = _ENVIRONMENT.get_template("report.html.j2")
    findings = audit.findings
    return template.render(
        audit=audit,
        packs=audit.packs,
        how_to_read=HOW_TO_READ,
        worst=[f.as_dict() for f in headline(findings, FINDINGS_SHOWN)],
        total_findings=len(findings),
        summary=summary_rows(audit),
        paragraphs=pack_paragraphs(audit),
        columns=SUMMARY_COLUMNS,
        cell=cell,
        metrics=METRICS,
        tables={name: [make(audit) for make in makers] for name, makers in TABLES.items()},
        charts=chart_svgs(audit),
        witnesses=[
            (c.scenario["name"], yaml.safe_dump(c.scenario, allow_unicode=True, sort_keys=False))
            for c in audit.conflicts
        ],
        parameters=yaml.safe_dump(audit.scales.data, allow_unicode=True, sort_keys=False),
    )
