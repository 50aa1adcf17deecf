"""The rule-of-law auditor: pure metrics over a loaded rulebook (docs/auditor.md)."""

from socialcredit.core.auditor.audit import Audit, PackAudit, audit
from socialcredit.core.auditor.findings import Finding
from socialcredit.core.auditor.scales import Scales, ScalesError, load_scales

__all__ = ["Audit", "Finding", "PackAudit", "Scales", "ScalesError", "audit", "load_scales"]
