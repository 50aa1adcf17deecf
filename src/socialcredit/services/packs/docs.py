"""Pack pages: ``docs/packs/<pack-id>.md`` generated from each pack, and the index table.

The pages are generated, never edited by hand; a test fails when one is stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcredit.core.pack.model import Pack
from socialcredit.core.pack.schema import PackSpec
from socialcredit.core.scenarios import scenario_files
from socialcredit.services.packs.docs_governs import governs_confidences, governs_section
from socialcredit.services.packs.docs_sections import (
    catalog_section,
    cell,
    lists_section,
    memoranda_section,
    parameters_section,
    ratings_section,
    sources_section,
    table,
    uncertain_section,
)

TAGGED = ("V", "S")


@dataclass(frozen=True)
class PackCounts:
    sources: int
    lists: int
    ratings: int
    memoranda: int
    measures: int
    parameters: int
    scenarios: int
    rules: int
    confidence: Counter[str]

    @property
    def checked_share(self) -> float:
        """Share of rules whose confidence is V (checked) or S (secondary source)."""
        return sum(self.confidence[t] for t in TAGGED) / self.rules if self.rules else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "lists": self.lists,
            "ratings": self.ratings,
            "memoranda": self.memoranda,
            "measures": self.measures,
            "parameters": self.parameters,
            "scenarios": self.scenarios,
            "rules": self.rules,
            "confidence": dict(self.confidence),
            "checked_share": round(self.checked_share, 3),
        }


def rule_confidences(spec: PackSpec) -> Iterator[str]:
    """The confidence tag of every rule of the pack (each thing that carries one, due-process
    steps included; sources are documents, not rules, and are not counted)."""
    for category in spec.catalog.values():
        yield category.confidence
    for definition in spec.lists.values():
        for version in definition.versions:
            yield version.confidence
            yield from (e.confidence for e in version.exemptions)
            yield from (r.confidence for r in version.removed_when)
            yield from (s.confidence for s in version.due_process)
    for rating in spec.ratings.values():
        for rv in rating.versions:
            yield rv.confidence
            yield from (e.confidence for e in rv.eligible)
            for group in (rv.contributions, rv.direct, rv.caps, rv.after_band, rv.contagion):
                yield from (item.confidence for item in group)
            yield from (s.confidence for s in rv.due_process)
    for memo in spec.memoranda.values():
        yield memo.confidence
        yield from (m.confidence for m in memo.measures)
    yield from (p.confidence for p in spec.parameters.values())
    yield from governs_confidences(spec.governs)


def count(pack: Pack) -> PackCounts:
    spec = pack.spec
    confidence = Counter(rule_confidences(spec))
    return PackCounts(
        sources=len(spec.sources),
        lists=len(spec.lists),
        ratings=len(spec.ratings),
        memoranda=len(spec.memoranda),
        measures=sum(len(m.measures) for m in spec.memoranda.values()),
        parameters=len(spec.parameters),
        scenarios=len(scenario_files(pack.path)),
        rules=sum(confidence.values()),
        confidence=confidence,
    )


def pack_page(pack: Pack) -> str:
    """The Markdown page of one pack."""
    spec, counts = pack.spec, count(pack)
    lines = [
        f"# {spec.title}",
        "",
        f"<!-- generated from packs/{spec.id}/pack.yaml by `socialcredit packs docs`; "
        "do not edit -->",
        "",
        f"Pack `{spec.id}`, revision {spec.revision}, jurisdiction {spec.jurisdiction}.",
        "",
        cell(spec.description or ""),
        "",
        f"{counts.rules} rules, {counts.checked_share:.0%} of them tagged V (checked) or S "
        f"(secondary source); {counts.scenarios} scenarios.",
        "",
        *sources_section(spec),
        *parameters_section(spec),
        *catalog_section(spec),
        *lists_section(spec),
        *ratings_section(spec),
        *memoranda_section(spec),
        *governs_section(spec),
        *uncertain_section(spec),
    ]
    return "\n".join(lines).rstrip() + "\n"


def index_page(packs: list[Pack]) -> str:
    """The table of every pack with its counts."""
    rows: list[list[object]] = []
    for pack in packs:
        c = count(pack)
        rows.append(
            [
                f"[`{pack.id}`]({pack.id}.md)",
                pack.spec.title,
                pack.spec.jurisdiction,
                c.sources,
                c.lists,
                c.ratings,
                c.measures,
                c.scenarios,
                f"{c.checked_share:.0%}",
            ]
        )
    header = [
        "pack",
        "what it covers",
        "jurisdiction",
        "sources",
        "lists",
        "ratings",
        "measures",
        "scenarios",
        "rules V or S",
    ]
    lines = [
        "# Rule packs",
        "",
        "<!-- generated by `socialcredit packs docs`; do not edit -->",
        "",
        "Every pack with its counts; each page is generated from the pack's YAML.",
        "",
        *table(header, rows),
    ]
    return "\n".join(lines).rstrip() + "\n"


def write_pages(packs: list[Pack], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for pack in packs:
        path = folder / f"{pack.id}.md"
        path.write_text(pack_page(pack), encoding="utf-8")
        written.append(path)
    index = folder / "README.md"
    index.write_text(index_page(packs), encoding="utf-8")
    return [*written, index]
