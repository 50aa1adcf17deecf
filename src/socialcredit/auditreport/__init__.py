"""Rendering of rule-of-law audits: markdown, one self-contained HTML page, JSON, charts."""

from socialcredit.auditreport.report import FORMATS, render, render_report, resolve_packs, run_audit

__all__ = ["FORMATS", "render", "render_report", "resolve_packs", "run_audit"]
