"""A YAML alias bomb in a pack or a scenario is refused at once, with a clear error.

Issue 13 item 4: a 500-byte pack of nested aliases made ``packs check`` grow to 12 GB, because
the line index walked the expanded alias graph. Packs may still use aliases for shared blocks.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from socialcredit.core.errors import PackError, ScenarioError
from socialcredit.core.pack.load import read_pack
from socialcredit.core.pack.yaml_lines import (
    AliasExpansionError,
    compose_bounded,
    safe_load_bounded,
)
from socialcredit.core.scenarios import read_scenario

ROOT = Path(__file__).resolve().parents[1]


def bomb(levels: int = 12) -> str:
    """A "billion laughs": each level is a list of nine aliases of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        items = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{items}]")
    return "\n".join(lines) + "\n"


def test_bomb_is_small_and_refused_fast() -> None:
    text = bomb()
    assert len(text) < 800
    started = time.perf_counter()
    with pytest.raises(AliasExpansionError, match="expand to more than"):
        compose_bounded(text)
    assert time.perf_counter() - started < 0.5


def test_pack_with_bomb_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "bomb"
    folder.mkdir()
    (folder / "pack.yaml").write_text("id: bomb\n" + bomb(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(PackError, match=r"pack\.yaml: refused: its aliases expand"):
        read_pack(folder)
    assert time.perf_counter() - started < 0.5


def test_scenario_with_bomb_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "bomb.yaml"
    file.write_text("name: bomb\nas_of: 2024-01-01\n" + bomb(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="refused: its aliases expand"):
        read_scenario(file)
    assert time.perf_counter() - started < 0.5


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(AliasExpansionError, match="contains it"):
        safe_load_bounded("a: &a [1, *a]\n")


def test_modest_aliases_still_load() -> None:
    data = safe_load_bounded("base: &b {x: 1}\nuse: *b\nalso: [*b, *b]\n")
    assert data["use"] == {"x": 1}
    assert data["also"] == [{"x": 1}, {"x": 1}]


def test_a_pack_that_shares_blocks_by_alias_loads() -> None:
    pack = read_pack(ROOT / "packs" / "eu-edes")
    assert pack.id == "eu-edes"
