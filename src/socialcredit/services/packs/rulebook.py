"""Finding, loading and testing rule packs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from socialcredit.core.errors import PackError, ScenarioError
from socialcredit.core.pack.load import find_packs, load_rulebook, read_pack
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.scenarios import read_scenario, run_scenario, scenario_files
from socialcredit.settings import packs_root


def pack_folders(root: Path | None = None) -> dict[str, Path]:
    return {folder.name: folder for folder in find_packs(root or packs_root())}


def with_requirements(pack_ids: Iterable[str], root: Path | None = None) -> list[Path]:
    """The folders of the named packs and of every pack they require, dependencies first."""
    folders = pack_folders(root)
    ordered: list[str] = []

    def visit(pack_id: str) -> None:
        if pack_id in ordered:
            return
        if pack_id not in folders:
            known = ", ".join(sorted(folders)) or "none"
            raise PackError(
                str(root or packs_root()), None, "", f"no pack {pack_id!r} (packs: {known})"
            )
        for required in read_pack(folders[pack_id]).spec.requires:
            visit(required)
        ordered.append(pack_id)

    for pack_id in pack_ids:
        visit(pack_id)
    return [folders[p] for p in ordered]


@lru_cache(maxsize=32)
def load_book(pack_ids: tuple[str, ...] | None = None, root: Path | None = None) -> Rulebook:
    """A rulebook of the named packs (with what they require), or of every pack that is
    not opt-in (``opt_in: true``, such as the packs that govern others)."""
    if pack_ids is None:
        folders = find_packs(root or packs_root())
        return load_rulebook([f for f in folders if not read_pack(f).spec.opt_in])
    return load_rulebook(with_requirements(pack_ids, root))


@dataclass(frozen=True)
class ScenarioResult:
    file: Path
    name: str
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def test_scenarios(paths: Iterable[Path], root: Path | None = None) -> list[ScenarioResult]:
    """Run every scenario the paths stand for against the packs under ``root`` (default:
    the configured packs folder); a broken scenario is a failure, not a crash."""
    results = []
    for path in paths:
        for file in scenario_files(path):
            try:
                scenario = read_scenario(file)
                failures = run_scenario(load_book(scenario.packs, root), scenario)
                results.append(ScenarioResult(file, scenario.name, tuple(failures)))
            except (ScenarioError, PackError) as error:
                results.append(ScenarioResult(file, file.stem, (str(error),)))
    return results
