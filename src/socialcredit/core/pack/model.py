"""Packs compiled for the engine: expressions parsed and checked, legal sources resolved.

A ``Rulebook`` is every pack loaded together; lists, ratings and categories are named once
across it, so a memorandum in one pack can be triggered by a list of another it requires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcredit.core.catalog import FieldType
from socialcredit.core.errors import RuleSyntaxError
from socialcredit.core.pack.schema import (
    AfterBand,
    Cap,
    Category,
    Contribution,
    DirectGrade,
    Eligibility,
    Exemption,
    ListDef,
    ListVersion,
    Memorandum,
    PackSpec,
    RatingDef,
    RatingVersion,
    Removal,
    Source,
)
from socialcredit.core.pack.yaml_lines import Located
from socialcredit.core.rules import ast
from socialcredit.core.rules.evaluate import Compiled, compile_expr
from socialcredit.core.rules.parser import parse


@dataclass(frozen=True, slots=True)
class Citation:
    """A resolved legal basis: the source and the provision within it."""

    source_id: str
    provision: str
    title: str
    level: str
    confidence: str
    url: str | None

    @property
    def text(self) -> str:
        return f"{self.title}, {self.provision}" if self.provision else self.title

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "provision": self.provision,
            "title": self.title,
            "level": self.level,
            "confidence": self.confidence,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Expression:
    source: str
    node: ast.Node
    evaluate: Compiled


@dataclass
class Pack:
    """One pack: its spec, where it came from, and its effective-dated parameters."""

    spec: PackSpec
    path: Path
    located: Located
    _parameters: dict[dt.date, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    def parameters_on(self, day: dt.date) -> dict[str, Any]:
        """Each parameter's value in force on ``day`` (null before its first value).

        The result is cached per day and shared: callers must not change it."""
        cached = self._parameters.get(day)
        if cached is not None:
            return cached
        values: dict[str, Any] = {}
        for name, parameter in self.spec.parameters.items():
            dated = sorted((d, v) for d, v in parameter.values.items() if d <= day)
            values[name] = dated[-1][1] if dated else None
        self._parameters[day] = values
        return values

    def source(self, source_id: str) -> Source | None:
        return self.spec.sources.get(source_id)


@dataclass(frozen=True)
class ListRule:
    """One version of a list, ready to evaluate."""

    list_id: str
    definition: ListDef
    version: ListVersion
    pack: Pack
    category: str
    alias: str
    include: Expression
    exemptions: tuple[tuple[Exemption, Expression], ...]
    starts: Expression
    ends: Expression | None
    removals: tuple[tuple[Removal, Expression], ...]

    @property
    def label(self) -> str:
        return f"{self.list_id}@{self.version.in_force.isoformat()}"


@dataclass(frozen=True)
class PerRecord:
    """A condition evaluated on each record of one category: ``per: record C as alias``."""

    category: str
    alias: str
    when: Expression


@dataclass(frozen=True)
class RatingRule:
    rating_id: str
    definition: RatingDef
    version: RatingVersion
    pack: Pack
    contributions: tuple[tuple[Contribution, PerRecord, Expression], ...]
    direct: tuple[tuple[DirectGrade, PerRecord], ...]
    caps: tuple[tuple[Cap, PerRecord], ...]
    eligible: tuple[tuple[Eligibility, PerRecord], ...] = ()
    # (spec, its ``when``, its ``points`` or None)
    after_band: tuple[tuple[AfterBand, Expression, Expression | None], ...] = ()

    @property
    def grades(self) -> list[str]:
        version = self.version
        named = [b.grade for b in version.bands] + [d.grade for d in version.direct]
        held = [a.grade for a in version.after_band if a.grade is not None]
        return named + held + [c.grade for c in version.contagion]

    def rank(self, grade: str) -> int:
        """Position of a band's grade, best first; grades outside the bands rank last."""
        bands = [b.grade for b in self.version.bands]
        return bands.index(grade) if grade in bands else len(bands)


@dataclass(frozen=True)
class MemorandumRule:
    memorandum_id: str
    spec: Memorandum
    pack: Pack
    conditions: dict[str, Expression] = field(default_factory=dict)  # measure id -> when


@dataclass
class Rulebook:
    """Every loaded pack, compiled, with its names resolved across packs."""

    packs: dict[str, Pack] = field(default_factory=dict)
    categories: dict[str, tuple[Pack, Category, dict[str, FieldType]]] = field(default_factory=dict)
    lists: dict[str, list[ListRule]] = field(default_factory=dict)
    ratings: dict[str, list[RatingRule]] = field(default_factory=dict)
    memoranda: list[MemorandumRule] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)

    def cite(self, pack: Pack, reference: str) -> Citation:
        """Resolve ``'spc-2017 art. 1'`` against the pack's sources (or those it requires)."""
        source_id, _, provision = reference.strip().partition(" ")
        for candidate in (pack, *(self.packs[r] for r in pack.spec.requires if r in self.packs)):
            source = candidate.source(source_id)
            if source is not None:
                return Citation(
                    source_id,
                    provision.strip(),
                    source.title,
                    source.level.value,
                    source.confidence,
                    source.url,
                )
        raise KeyError(source_id)

    def list_rule_for(self, list_id: str, decided_on: dt.date) -> ListRule | None:
        """The version of a list that governs a record decided on ``decided_on``."""
        for rule in self.lists.get(list_id, []):
            if rule.version.in_force_on(decided_on):
                return rule
        return None

    def rating_rule_on(self, rating_id: str, day: dt.date) -> RatingRule | None:
        for rule in self.ratings.get(rating_id, []):
            if rule.version.in_force_on(day):
                return rule
        return None

    def revisions(self) -> dict[str, str]:
        return {pack_id: pack.spec.revision for pack_id, pack in self.packs.items()}


def compile_expression(text: str, located: Located, path: tuple[str | int, ...]) -> Expression:
    """Parse ``text``; a syntax error names the pack file, line and key."""
    try:
        node = parse(str(text))
    except RuleSyntaxError as error:
        raise located.error(path, f"{error}") from None
    return Expression(str(text), node, compile_expr(node))
