"""Matching counterparties against listed subjects, with the reasons for every match.

Two ways to match, never a bare score:

- **identifier**: the counterparty's identity number (USCC or resident ID number, checked
  and normalised) equals a listed subject's: score 1.0; a different name on file is noted.
- **name and region**, only when the counterparty has no valid identifier: the core names
  (see ``names``) are at least ``threshold`` alike (rapidfuzz ratio), and the region written
  agrees with the subject's division. The score is the name similarity. Without a region
  the match is reported as name only, its score scaled by ``NAME_ONLY``, for review.

A counterparty whose identifier is valid but not listed is not matched by name: a namesake
with another identity number is another subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id
from socialcredit.core.screening.names import NormalName, normal_name, similarity
from socialcredit.core.screening.regions import region_agrees

THRESHOLD = 0.9
NAME_ONLY = 0.8  # a name match without a region to confirm it
CANDIDATES = 20  # name candidates examined per counterparty


@dataclass(frozen=True)
class Listed:
    """A subject with something against it: its entries (and measures) to show."""

    subject: str
    name: str | None
    kind: str
    region: str | None
    entries: tuple[dict[str, Any], ...] = ()
    measures: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Counterparty:
    """One row of the file screened."""

    row: int
    name: str | None
    identifier: str | None = None
    region: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Match:
    subject: Listed
    how: str  # identifier, name+region, name
    score: float
    reasons: tuple[str, ...]


@dataclass
class Screened:
    """The outcome for one counterparty: its status, the notes and the matches."""

    counterparty: Counterparty
    status: str  # listed, possible_match, no_match, unreadable
    notes: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)


class Matcher:
    """An index of listed subjects by identifier and by core name."""

    def __init__(self, listed: Sequence[Listed], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.by_id = {s.subject: s for s in listed}
        named = [s for s in listed if s.name]
        self.names = [normal_name(s.name or "") for s in named]
        self.named = named
        self.cores = [n.core for n in self.names]

    def screen(self, party: Counterparty) -> Screened:
        """Match one counterparty; the strongest match first."""
        result = Screened(party, "no_match")
        code = self._identifier(party, result.notes)
        if code is not None:
            found = self.by_id.get(code)
            if found is not None:
                result.matches.append(self._by_identifier(party, code, found))
            else:
                result.notes.append(f"identifier {code} is on no list screened")
        elif party.name and party.name.strip():
            result.matches = self._by_name(party)
        elif not result.notes:
            result.status = "unreadable"
            result.notes.append("neither a name nor an identifier to screen")
        if result.matches:
            listed = any(m.how == "identifier" for m in result.matches)
            result.status = "listed" if listed else "possible_match"
        return result

    def _identifier(self, party: Counterparty, notes: list[str]) -> str | None:
        raw = (party.identifier or "").strip()
        if not raw:
            return None
        try:
            return parse_id(raw).code
        except InvalidIdentifier as error:
            notes.append(f"identifier {raw!r} is not valid ({error.reason}); matched by name")
            return None

    def _by_identifier(self, party: Counterparty, code: str, found: Listed) -> Match:
        reasons = [f"identifier {code} equals the listed subject's"]
        if party.name and found.name:
            alike = similarity(normal_name(party.name), normal_name(found.name))
            if alike < 1.0:
                reasons.append(
                    f"the name on file is {found.name!r}, not {party.name!r} "
                    f"(similarity {alike:.2f}): check the identifier"
                )
        return Match(found, "identifier", 1.0, tuple(reasons))

    def _by_name(self, party: Counterparty) -> list[Match]:
        query = normal_name(party.name or "")
        hits = process.extract(
            query.core, self.cores, scorer=fuzz.ratio, limit=CANDIDATES,
            score_cutoff=self.threshold * 100,
        )  # fmt: skip
        matches = []
        for _, _, index in hits:
            match = self._name_match(party, query, self.named[index], self.names[index])
            if match is not None:
                matches.append(match)
        return sorted(matches, key=lambda m: (-m.score, m.subject.subject))

    def _name_match(
        self, party: Counterparty, query: NormalName, found: Listed, name: NormalName
    ) -> Match | None:
        alike = similarity(query, name)
        reasons = [_name_reason(query, name, alike)]
        region = (party.region or "").strip()
        if not region:
            reasons.append("no region given: a namesake elsewhere cannot be ruled out; review")
            return Match(found, "name", round(alike * NAME_ONLY, 3), tuple(reasons))
        agrees, why = region_agrees(region, found.region)
        if not agrees:
            return None
        reasons.append(why)
        return Match(found, "name+region", round(alike, 3), tuple(reasons))


def _name_reason(query: NormalName, name: NormalName, alike: float) -> str:
    if query.normal == name.normal:
        return f"name {name.written!r} is the same after normalisation ({name.normal!r})"
    return (
        f"name {query.written!r} ~ {name.written!r}: compared as {query.core!r} and "
        f"{name.core!r} (legal form set apart), similarity {alike:.2f}"
    )
