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
    """The confidence tag of every rule of the pack (each thing that carries one)."""
    for category in spec.catalog.values():
        yield category.confidence
    for definition in spec.lists.values():
        for version in definition.versions:
            yield version.confidence
            yield from (e.confidence for e in version.exemptions)
            yield from (r.confidence for r in version.removed_when)
    for rating in spec.ratings.values():
        for rv in rating.versions:
            yield rv.confidence
            for group in (rv.contributions, rv.direct, rv.caps, rv.contagion):
                yield from (item.confidence for item in group)
    for memo in spec.memoranda.values():
        yield memo.confidence
        yield from (m.confidence for m in memo.measures)
    yield from (p.confidence for p in spec.parameters.values())


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


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") if text is not None else ""


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
        _cell(spec.description or ""),
        "",
        f"{counts.rules} rules, {counts.checked_share:.0%} of them tagged V (checked) or S "
        f"(secondary source); {counts.scenarios} scenarios.",
        "",
        *_sources(spec),
        *_parameters(spec),
        *_catalog(spec),
        *_lists(spec),
        *_ratings(spec),
        *_memoranda(spec),
        *_uncertain(spec),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _sources(spec: PackSpec) -> list[str]:
    rows: list[list[object]] = [
        [f"`{key}`", s.title, s.level.value, s.in_force or "", s.confidence, s.url or ""]
        for key, s in spec.sources.items()
    ]
    return [
        "## Sources",
        "",
        *_table(["id", "title", "level", "in force", "confidence", "url"], rows),
    ]


def _parameters(spec: PackSpec) -> list[str]:
    if not spec.parameters:
        return []
    rows: list[list[object]] = [
        [
            f"`{key}`",
            p.description,
            ", ".join(f"{d}: {v}" for d, v in sorted(p.values.items())),
            p.range or "",
            p.source,
            p.confidence,
        ]
        for key, p in spec.parameters.items()
    ]
    header = ["parameter", "meaning", "values from", "range", "source", "confidence"]
    return ["## Parameters", "", *_table(header, rows)]


def _catalog(spec: PackSpec) -> list[str]:
    if not spec.catalog:
        return []
    rows: list[list[object]] = [
        [
            f"`{key}`",
            c.title,
            ", ".join(c.agencies),
            c.disclosure,
            c.domain,
            c.legal_basis,
            c.confidence,
        ]
        for key, c in spec.catalog.items()
    ]
    header = ["category", "title", "agencies", "disclosure", "domain", "legal basis", "confidence"]
    return ["## Catalog", "", *_table(header, rows)]


def _lists(spec: PackSpec) -> list[str]:
    out: list[str] = []
    for list_id, definition in spec.lists.items():
        out += [f"## List `{list_id}`: {definition.title}", "", f"Kind: {definition.kind}.", ""]
        rows: list[list[object]] = [
            [
                v.in_force,
                v.until or "",
                v.entry_per,
                v.include,
                v.ends or "open-ended",
                ", ".join(e.id for e in v.exemptions),
                ", ".join(r.id for r in v.removed_when),
                v.legal_basis,
                v.confidence,
            ]
            for v in definition.versions
        ]
        header = [
            "in force",
            "until",
            "entry per",
            "include",
            "ends",
            "exemptions",
            "removed when",
            "legal basis",
            "confidence",
        ]
        out += _table(header, rows)
        steps: list[list[object]] = [
            [s.kind, s.days if s.days is not None else "", s.day_kind, s.legal_basis, s.confidence]
            for v in definition.versions
            for s in v.due_process
        ]
        if steps:
            out += [
                "Due process:",
                "",
                *_table(["step", "days", "counted in", "legal basis", "confidence"], steps),
            ]
    return out


def _ratings(spec: PackSpec) -> list[str]:
    out: list[str] = []
    for rating_id, definition in spec.ratings.items():
        out += [f"## Rating `{rating_id}`: {definition.title}", ""]
        for v in definition.versions:
            bands = ", ".join(
                f"{b.grade} >= {b.min:g}" if b.min is not None else b.grade for b in v.bands
            )
            until = f" until {v.until}" if v.until else ""
            out += [f"Version in force {v.in_force}{until}: base {v.base:g}; bands {bands}.", ""]
            rows: list[list[object]] = [
                ["contribution", c.id, c.when, c.points, c.legal_basis, c.confidence]
                for c in v.contributions
            ]
            rows += [
                ["direct grade " + d.grade, d.id, d.when, "", d.legal_basis, d.confidence]
                for d in v.direct
            ]
            rows += [
                ["at best " + c.at_best, c.id, c.when, "", c.legal_basis, c.confidence]
                for c in v.caps
            ]
            rows += [
                [
                    "contagion " + c.grade,
                    c.id,
                    f"from {', '.join(c.from_grades)} via {', '.join(c.roles)}",
                    "",
                    c.legal_basis,
                    c.confidence,
                ]
                for c in v.contagion
            ]
            if rows:
                out += _table(["rule", "id", "when", "points", "legal basis", "confidence"], rows)
    return out


def _memoranda(spec: PackSpec) -> list[str]:
    out: list[str] = []
    for memo_id, memo in spec.memoranda.items():
        trigger = memo.trigger.list_id or f"{memo.trigger.rating} {', '.join(memo.trigger.grades)}"
        out += [
            f"## Memorandum `{memo_id}`: {memo.title}",
            "",
            f"Source {memo.source} ({memo.confidence}); in force {memo.in_force}"
            f"{f' until {memo.until}' if memo.until else ''}; triggered by {trigger}.",
            "",
        ]
        rows: list[list[object]] = [
            [
                f"`{m.id}`",
                m.agency,
                ", ".join(m.actions),
                m.effect,
                ", ".join(m.targets),
                m.domain,
                m.lasts or "while triggered",
                m.legal_basis,
                m.confidence,
            ]
            for m in memo.measures
        ]
        header = [
            "measure",
            "agency",
            "actions",
            "effect",
            "targets",
            "domain",
            "lasts",
            "legal basis",
            "confidence",
        ]
        out += _table(header, rows)
    return out


def _uncertain(spec: PackSpec) -> list[str]:
    notes = [
        f"- source `{key}` ({s.confidence}): {_cell(s.notes)}"
        for key, s in spec.sources.items()
        if s.confidence in ("M", "?") and s.notes
    ]
    params = [
        f"- parameter `{key}` ({p.confidence}): {_cell(p.description)}"
        for key, p in spec.parameters.items()
        if p.confidence in ("M", "?")
    ]
    if not notes and not params:
        return []
    return ["## What is uncertain", "", *notes, *params, ""]


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
        *_table(header, rows),
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
