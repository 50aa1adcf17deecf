"""Sweeping subjects into stored segments, and who must be swept again after a write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.index.shapes import Shapes, split
from socialcredit.index.sweep import Sweeper
from socialcredit.index.table import StoredRow


def population(facts: MemoryFacts) -> list[str]:
    """Every subject the facts know: with a record, a role, or registered."""
    known = set(facts.subjects) | {s for s, records in facts.records.items() if records}
    known |= {p for p, roles in facts.relations.items() if roles}
    known |= {o for o, officers in facts.officers.items() if officers}
    return sorted(known)


def reached(book: Rulebook, facts: MemoryFacts, subject_ids: Iterable[str]) -> set[str]:
    """The subjects whose answers can follow from the facts of ``subject_ids``: themselves,
    the persons holding a role in them (measures reach officers), and where a rating spreads
    by contagion, the other organisations of those persons and their officers."""
    found = set(subject_ids)
    contagion = any(rule.version.contagion for rules in book.ratings.values() for rule in rules)
    for subject_id in list(found):
        for officer in facts.officers_of(subject_id):
            found.add(officer.person)
            if not contagion:
                continue
            for role in facts.roles_of(officer.person):
                found.add(role.org)
                found |= {o.person for o in facts.officers_of(role.org)}
    return found


def swept(
    sweeper: Sweeper, shapes: Shapes, subject_ids: Iterable[str]
) -> Iterator[tuple[str, StoredRow]]:
    """Each subject with its segments and triggers; no segment when nothing ever applies."""
    for subject_id in subject_ids:
        segments = sweeper.segments(subject_id)
        if all(not segment.measures for segment in segments):
            yield subject_id, ([], ())
            continue
        triggers = tuple(sorted({ref[3] for seg in segments for ref in seg.measures}))
        slots = {trigger: slot for slot, trigger in enumerate(triggers)}
        stored = [(seg.start, shapes.intern(split(seg.measures, slots))) for seg in segments]
        yield subject_id, (stored, triggers)
