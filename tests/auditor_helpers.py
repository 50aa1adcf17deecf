"""Shared helpers of the auditor tests: the hand-made packs, audited as of one date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from socialcredit.core.auditor import Audit, Scales, audit, load_scales
from socialcredit.core.pack.load import load_rulebook
from tests.conftest import REPO

TINY = REPO / "tests" / "auditor_packs"
DAY = dt.date(2025, 1, 1)


def audit_tiny(
    root: Path = TINY,
    ids: tuple[str, ...] = ("tiny-base", "tiny-rated"),
    scales: Scales | None = None,
) -> Audit:
    """Audit hand-made packs read from ``root`` (uncached: tests change the files)."""
    book = load_rulebook([root / pack_id for pack_id in ids])
    return audit(book, list(ids), DAY, scales or load_scales())


def metrics(result: Audit, pack_id: str) -> dict[str, Any]:
    return next(p.as_dict() for p in result.packs if p.pack.id == pack_id)


def copy_packs(tmp_path: Path) -> Path:
    """A copy of the hand-made packs that a test may edit."""
    root = tmp_path / "packs"
    shutil.copytree(TINY, root)
    return root


def edit(root: Path, pack_id: str, old: str, new: str) -> None:
    """Replace one exact piece of a pack's YAML (it must occur once)."""
    path = root / pack_id / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
