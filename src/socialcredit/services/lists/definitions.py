"""List definitions as the packs give them: versions, legal bases resolved, due process,
and the legal sources they cite."""

from __future__ import annotations

from typing import Any

from socialcredit.core.pack.model import Citation, ListRule, Pack, Rulebook
from socialcredit.core.pack.schema import ProcessStep, Source


class UnknownList(KeyError):
    """A list id that no loaded pack defines."""


def list_ids(book: Rulebook) -> list[str]:
    return sorted(book.lists)


def list_definition(book: Rulebook, list_id: str) -> dict[str, Any]:
    """One list as its pack defines it; raises ``UnknownList``."""
    rules = book.lists.get(list_id)
    if not rules:
        raise UnknownList(list_id)
    first = rules[0]
    cited: dict[str, Citation] = {}

    def cite(reference: str) -> dict[str, Any]:
        citation = book.cite(first.pack, reference)
        cited.setdefault(citation.source_id, citation)
        return citation.as_dict()

    return {
        "id": list_id,
        "title": first.definition.title,
        "kind": first.definition.kind,
        "pack": first.pack.id,
        "pack_revision": first.pack.spec.revision,
        "subject_kinds": list(first.definition.subject_kinds),
        "versions": [_version(rule, cite) for rule in rules],
        "sources": [_source(book, first.pack, source_id) for source_id in sorted(cited)],
    }


def list_definitions(book: Rulebook) -> list[dict[str, Any]]:
    return [list_definition(book, list_id) for list_id in list_ids(book)]


def _version(rule: ListRule, cite: Any) -> dict[str, Any]:
    version = rule.version
    return {
        "in_force": version.in_force.isoformat(),
        "until": version.until.isoformat() if version.until else None,
        "category": rule.category,
        "legal_basis": cite(version.legal_basis),
        "confidence": version.confidence,
        "discretion": _folded(version.discretion),
        "rule": {
            "entry_per": version.entry_per,
            "include": _folded(version.include),
            "starts": _folded(version.starts),
            "ends": _folded(version.ends),
        },
        "reason": _folded(version.reason),
        "exemptions": [
            {
                "id": e.id,
                "when": _folded(e.when),
                "legal_basis": cite(e.legal_basis),
                "confidence": e.confidence,
                "discretion": _folded(e.discretion),
            }
            for e in version.exemptions
        ],
        "removals": [
            {
                "id": r.id,
                "date": _folded(r.date),
                "legal_basis": cite(r.legal_basis),
                "confidence": r.confidence,
                "deadline_working_days": r.deadline_working_days,
            }
            for r in version.removed_when
        ],
        "due_process": [due_process_step(step, cite) for step in version.due_process],
    }


def due_process_step(step: ProcessStep, cite: Any) -> dict[str, Any]:
    """A due-process step with its legal basis resolved (``cite`` maps a reference to a dict)."""
    return {
        "id": step.id,
        "kind": step.kind,
        "days": step.days,
        "day_kind": step.day_kind,
        "counted_from": step.counted_from,
        "description": _folded(step.description),
        "legal_basis": cite(step.legal_basis),
        "confidence": step.confidence,
    }


def _source(book: Rulebook, pack: Pack, source_id: str) -> dict[str, Any]:
    for candidate in (pack, *(book.packs[r] for r in pack.spec.requires if r in book.packs)):
        found = candidate.source(source_id)
        if found is not None:
            return {"id": source_id, "pack": candidate.id, **_source_fields(found)}
    return {"id": source_id, "pack": None}


def _source_fields(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "level": source.level.value,
        "issued_by": source.issued_by,
        "document_no": source.document_no,
        "issued": source.issued.isoformat() if source.issued else None,
        "in_force": source.in_force.isoformat() if source.in_force else None,
        "until": source.until.isoformat() if source.until else None,
        "url": source.url,
        "confidence": source.confidence,
    }


def _folded(text: str | None) -> str | None:
    """White space folded, as YAML block text reads in one line."""
    return " ".join(str(text).split()) if text is not None else None
