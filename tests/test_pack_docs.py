"""The generated pack pages match the packs: regenerate with `socialcredit packs docs`."""

from __future__ import annotations

import pytest

from socialcredit.core.pack.load import find_packs, read_pack
from socialcredit.services.packs.docs import count, index_page, pack_page
from tests.conftest import REPO

PACKS = find_packs(REPO / "packs")
STALE = "stale: run `socialcredit packs docs` and commit docs/packs/"


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_pack_page_is_current(folder):  # type: ignore[no-untyped-def]
    page = REPO / "docs/packs" / f"{folder.name}.md"
    assert page.is_file(), STALE
    assert page.read_text(encoding="utf-8") == pack_page(read_pack(folder)), STALE


def test_index_is_current() -> None:
    index = REPO / "docs/packs/README.md"
    assert index.read_text(encoding="utf-8") == index_page([read_pack(f) for f in PACKS]), STALE


def test_counts_of_the_judgment_pack() -> None:
    counts = count(read_pack(REPO / "packs/cn-judgment-defaulters"))
    assert counts.lists == 1 and counts.scenarios >= 15
    assert 0 < counts.checked_share <= 1
