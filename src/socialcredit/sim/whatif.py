"""What-if variants: the same nation and conduct under other rules or rates.

A variant is written ``NAME=SETTING[,SETTING...]``, each setting one of

- ``PACK.PARAMETER=VALUE``: a pack parameter (``load_rulebook``'s override: the value
  replaces every dated value, e.g. ``cn-judgment-defaulters.listing_years=3``);
- ``version.LIST=DATE``: the version of the list in force on DATE governs every record,
  whatever its date (e.g. ``version.publicised-administrative-penalties=2023-05-01`` applies
  the 2023 trial measures to penalties decided under the 2026 measures);
- ``sim.RATE=VALUE``: a rate of the model (e.g. ``sim.list_legal_representatives=1``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from socialcredit.core.pack.load import load_rulebook
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.packs.rulebook import with_requirements

BASELINE = "baseline"


@dataclass(frozen=True)
class Variant:
    """A named set of overrides (none for the baseline)."""

    name: str
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)
    versions: dict[str, dt.date] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)


def parse_value(text: str) -> object:
    """``true``/``false``, an integer, a number, else the text itself."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text.strip()


def parse_variant(spec: str) -> Variant:
    """Parse ``NAME=SETTING[,SETTING...]``; raise ValueError saying what is wrong."""
    name, _, settings = spec.partition("=")
    if not name.strip() or not settings.strip():
        raise ValueError(f"{spec!r}: write NAME=SETTING[,SETTING...]")
    if name.strip() == BASELINE:
        raise ValueError(f"{spec!r}: the name {BASELINE!r} is taken by the run without overrides")
    variant = Variant(name.strip())
    for setting in settings.split(","):
        key, equals, value = setting.partition("=")
        scope, dot, item = key.strip().partition(".")
        if not equals or not dot or not item or not value.strip():
            raise ValueError(
                f"{setting!r}: write PACK.PARAMETER=V, version.LIST=DATE or sim.RATE=V"
            )
        if scope == "sim":
            number = parse_value(value)
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ValueError(f"{setting!r}: a rate is a number")
            variant.rates[item] = float(number)
        elif scope == "version":
            variant.versions[item] = dt.date.fromisoformat(value.strip())
        else:
            variant.parameters.setdefault(scope, {})[item] = parse_value(value)
    return variant


def variant_book(packs: tuple[str, ...], variant: Variant, root: Path | None = None) -> Rulebook:
    """The rulebook of the packs with the variant's parameter overrides and version pins."""
    book = load_rulebook(with_requirements(packs, root), variant.parameters)
    for list_id, day in variant.versions.items():
        book = pin_version(book, list_id, day)
    return book


def pin_version(book: Rulebook, list_id: str, day: dt.date) -> Rulebook:
    """A copy of the book in which the list's version in force on ``day`` governs all records."""
    if list_id not in book.lists:
        raise ValueError(
            f"no list {list_id!r} in the packs (lists: {', '.join(sorted(book.lists))})"
        )
    rule = book.list_rule_for(list_id, day)
    if rule is None:
        raise ValueError(f"no version of {list_id!r} is in force on {day}")
    always = rule.version.model_copy(update={"in_force": dt.date(1900, 1, 1), "until": None})
    pinned = dataclasses.replace(rule, version=always)
    return dataclasses.replace(book, lists={**book.lists, list_id: [pinned]})
