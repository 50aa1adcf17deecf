"""The audit moves in the expected direction when a pack's rules, or the scales, change."""

from __future__ import annotations

from pathlib import Path

from socialcredit.core.auditor import Audit, Finding, load_scales
from tests.auditor_helpers import audit_tiny, copy_packs, edit, metrics


def ratio(result: Audit, measure: str) -> float:
    rows = metrics(result, "tiny-base")["proportionality"]
    return float(next(r["ratio"] for r in rows if r["measure"] == measure))


def findings(result: Audit, metric: str) -> list[str]:
    return [f.text for f in result.findings if f.metric == metric and f.pack == "tiny-base"]


def test_a_longer_measure_is_less_proportionate(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    before = ratio(audit_tiny(root), "tiny-memo/no-loans")
    edit(root, "tiny-base", "lasts: 1 years", "lasts: 5 years")
    after = ratio(audit_tiny(root), "tiny-memo/no-loans")
    assert (before, after) == (0.67, 3.33)


def test_a_longer_listing_is_less_proportionate(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    edit(root, "tiny-base", "never when d.ground == 'refuses' else ", "")
    before = ratio(audit_tiny(root), "tiny-memo/watch")  # 1 x 2 years / 3
    edit(root, "tiny-base", "d.decided_on + years(2)", "d.decided_on + years(4)")
    after = ratio(audit_tiny(root), "tiny-memo/watch")
    assert (before, after) == (0.67, 1.33)


def test_a_lower_source_level_raises_legality_findings(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    before = findings(audit_tiny(root), "legality")
    edit(root, "tiny-base", "level: law", "level: departmental_rule")
    after = findings(audit_tiny(root), "legality")
    assert len(before) == 1
    assert len(after) == 2  # the memorandum's finding now names no-loans too, and the list
    assert any("(no-flights, no-loans)" in t for t in after)
    listed = "the blacklist 'tiny-blacklist' sets its criteria in a departmental rule"
    assert any(listed in t for t in after)


def test_a_removed_notice_raises_a_high_due_process_finding(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    [before] = due_process_findings(audit_tiny(root))
    notice = "id: told\n            kind: notice"
    edit(root, "tiny-base", notice, notice.replace("notice", "publication"))
    [after] = due_process_findings(audit_tiny(root))
    assert (before.severity, after.severity) == (2, 3)
    assert "no notice / correction / repair path" in after.text


def due_process_findings(result: Audit) -> list[Finding]:
    return [f for f in result.findings if f.metric == "due_process" and f.pack == "tiny-base"]


def test_an_end_to_the_listing_removes_the_open_ended_finding(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    assert any("without an end" in t for t in findings(audit_tiny(root), "duration"))
    edit(root, "tiny-base", "never when d.ground == 'refuses' else ", "")
    assert not any("without an end" in t for t in findings(audit_tiny(root), "duration"))


def test_a_measure_moved_into_the_conducts_domain_stops_spilling_over(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    assert metrics(audit_tiny(root), "tiny-base")["spillover"]["spillover"] == 2
    edit(root, "tiny-base", "domain: travel", "domain: judicial")
    assert metrics(audit_tiny(root), "tiny-base")["spillover"]["spillover"] == 1


def test_the_scales_file_moves_proportionality(tmp_path: Path) -> None:
    default = ratio(audit_tiny(), "tiny-memo/no-flights")
    scales = tmp_path / "scales.yaml"
    scales.write_text("gravity:\n  domains:\n    judicial: 1\nopen_ended_years: 20\n")
    changed = ratio(audit_tiny(scales=load_scales(scales)), "tiny-memo/no-flights")
    assert (default, changed) == (10, 60)  # 3 x 10 / 3, then 3 x 20 / 1


def test_the_scales_file_moves_spillover(tmp_path: Path) -> None:
    scales = tmp_path / "scales.yaml"
    scales.write_text("related_domains:\n  - [judicial, travel, finance]\n")
    result = audit_tiny(scales=load_scales(scales))
    assert metrics(result, "tiny-base")["spillover"]["spillover"] == 0
