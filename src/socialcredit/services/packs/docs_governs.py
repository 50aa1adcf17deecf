"""The ``governs:`` section of a governing pack's page: its editions (catalogue items with
the categories they cover, penalty-list items with the measures they cover) and its rules
for severe lists; and the confidence tags it counts as rules."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from socialcredit.core.pack.governs import Edition, Governs, NotCompelled
from socialcredit.core.pack.schema import PackSpec
from socialcredit.services.packs.docs_sections import cell, table


def governs_confidences(governs: Governs | None) -> Iterator[str]:
    """The tag of each edition, item and set of severe-list rules."""
    if governs is None:
        return
    for edition in governs.editions:
        yield edition.confidence
        yield from (i.confidence for i in edition.catalogue or [])
        yield from (i.confidence for i in edition.penalty_list or [])
    for rules in governs.severe_lists:
        yield rules.confidence
        yield from (s.confidence for s in rules.required_steps)
        if rules.not_compelled is not None:
            yield rules.not_compelled.confidence


def governs_section(spec: PackSpec) -> list[str]:
    governs = spec.governs
    if governs is None:
        return []
    lines = ["## Governs", "", f"Packs of {', '.join(governs.jurisdictions)}.", ""]
    lines += [f"- not `{pack}`: {cell(why)}" for pack, why in governs.outside_scope.items()]
    lines += [""] if governs.outside_scope else []
    for edition in governs.editions:
        lines += _edition(edition)
    for rules in governs.severe_lists:
        period = f"{rules.in_force} to {rules.until or 'now'}"
        lines += [
            f"### Severe lists, {period} ({rules.legal_basis}, {rules.confidence})",
            "",
            f"Fields: {', '.join(f'`{f.id}` ({f.title})' for f in rules.fields)}.",
            f"Accepted levels of legal basis: {', '.join(rules.basis_levels)}.",
            "Required steps: "
            + (
                ", ".join(
                    f"{s.kind} ({s.legal_basis}, {s.confidence})" for s in rules.required_steps
                )
                or "none"
            )
            + ".",
            f"May not be compelled: {_banned(rules.not_compelled)}.",
            "",
        ]
    return lines


def _banned(banned: NotCompelled | None) -> str:
    if banned is None:
        return "nobody named"
    return f"{', '.join(banned.agencies)} ({banned.legal_basis}, {banned.confidence})"


def _edition(edition: Edition) -> list[str]:
    period = f"{edition.in_force} to {edition.until or 'now'}"
    lines = [
        f"### Edition {edition.edition}, {period} ({edition.legal_basis}, {edition.confidence})",
        "",
    ]
    if edition.catalogue is not None:
        rows: list[list[object]] = [
            [f"`{i.id}`", i.title, ", ".join(i.categories), i.legal_basis, i.confidence]
            for i in edition.catalogue
        ]
        lines += table(["item", "title", "categories", "legal basis", "confidence"], rows)
    if edition.penalty_list is not None:
        rows = [
            [
                f"`{i.id}`",
                i.title,
                i.type or "",
                _covers(i.measures, i.domains, i.effects),
                i.legal_basis,
                i.confidence,
            ]
            for i in edition.penalty_list
        ]
        header = ["item", "title", "type", "covers", "legal basis", "confidence"]
        lines += table(header, rows)
    return lines


def _covers(measures: Sequence[str], domains: Sequence[str], effects: Sequence[str]) -> str:
    named = ", ".join(measures)
    matched = " and ".join(
        part
        for part in (
            f"domain {'/'.join(domains)}" if domains else "",
            f"effect {'/'.join(effects)}" if effects else "",
        )
        if part
    )
    return "; ".join(p for p in (named, f"every measure of {matched}" if matched else "") if p)
