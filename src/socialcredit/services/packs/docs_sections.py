"""The sections of a pack's page (``docs.pack_page``): sources, parameters, catalog, lists,
ratings, memoranda, and what is still uncertain, as Markdown tables."""

from __future__ import annotations

from socialcredit.core.pack.schema import PackSpec


def cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") if text is not None else ""


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def sources_section(spec: PackSpec) -> list[str]:
    rows: list[list[object]] = [
        [f"`{key}`", s.title, s.level.value, s.in_force or "", s.confidence, s.url or ""]
        for key, s in spec.sources.items()
    ]
    return [
        "## Sources",
        "",
        *table(["id", "title", "level", "in force", "confidence", "url"], rows),
    ]


def parameters_section(spec: PackSpec) -> list[str]:
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
    return ["## Parameters", "", *table(header, rows)]


def catalog_section(spec: PackSpec) -> list[str]:
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
    return ["## Catalog", "", *table(header, rows)]


LIST_HEADER = [
    "in force", "until", "entry per", "include", "ends", "exemptions", "removed when",
    "legal basis", "confidence",
]  # fmt: skip


def lists_section(spec: PackSpec) -> list[str]:
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
        out += table(LIST_HEADER, rows)
        steps: list[list[object]] = [
            [s.kind, s.days if s.days is not None else "", s.day_kind, s.legal_basis, s.confidence]
            for v in definition.versions
            for s in v.due_process
        ]
        if steps:
            out += [
                "Due process:",
                "",
                *table(["step", "days", "counted in", "legal basis", "confidence"], steps),
            ]
    return out


def ratings_section(spec: PackSpec) -> list[str]:
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
                out += table(["rule", "id", "when", "points", "legal basis", "confidence"], rows)
    return out


def memoranda_section(spec: PackSpec) -> list[str]:
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
        out += table(header, rows)
    return out


def uncertain_section(spec: PackSpec) -> list[str]:
    notes = [
        f"- source `{key}` ({s.confidence}): {cell(s.notes)}"
        for key, s in spec.sources.items()
        if s.confidence in ("M", "?") and s.notes
    ]
    params = [
        f"- parameter `{key}` ({p.confidence}): {cell(p.description)}"
        for key, p in spec.parameters.items()
        if p.confidence in ("M", "?")
    ]
    if not notes and not params:
        return []
    return ["## What is uncertain", "", *notes, *params, ""]
