"""The auditor's parameters: severity and gravity scales, spillover groups, due-process paths
and the legality table. Defaults ship in ``defaults.yaml``; a user's file overrides them key
by key (mappings are merged, everything else is replaced)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from socialcredit.core.errors import SocialCreditError

DEFAULTS = "defaults.yaml"


class ScalesError(SocialCreditError):
    """A scales file that cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class Scales:
    """Every parameter the auditor uses, as a checked mapping (see defaults.yaml)."""

    data: dict[str, Any]

    def severity(self, effect: str, domain: str) -> float:
        """Severity of a measure: its effect's weight times its domain's weight."""
        weights = self.data["severity"]
        return float(weights["effects"].get(effect, 0)) * float(weights["domains"].get(domain, 1))

    def gravity(self, category: str, domain: str) -> float:
        """Gravity of the conduct a category records: by category, by domain, else default."""
        table = self.data["gravity"]
        if category in table["categories"]:
            return float(table["categories"][category])
        return float(table["domains"].get(domain, table["default"]))

    @property
    def open_ended_years(self) -> float:
        return float(self.data["open_ended_years"])

    @property
    def rating_grade_years(self) -> float:
        return float(self.data["rating_grade_years"])

    def reduces_rights(self, effect: str) -> bool:
        return effect in self.data["rights_reducing_effects"]

    def related(self, a: str, b: str) -> bool:
        """Whether two domains count as the same context for spillover."""
        if a == b:
            return True
        return any(a in group and b in group for group in self.data["related_domains"])

    @property
    def due_process_paths(self) -> dict[str, list[str]]:
        return dict(self.data["due_process_paths"])

    def legality_rule(self, jurisdiction: str) -> tuple[str, dict[str, Any]] | None:
        """The legality entry for a jurisdiction code, and the key it was found under."""
        table = self.data["legality"]
        country, _, region = jurisdiction.partition("-")
        candidates = [jurisdiction, f"{country}-local" if region else None, country]
        for key in candidates:
            if key is not None and key in table:
                return key, table[key]
        return None


def default_data() -> dict[str, Any]:
    """The shipped defaults as a mapping."""
    text = resources.files(__package__).joinpath(DEFAULTS).read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def load_scales(path: Path | None = None) -> Scales:
    """The defaults, overridden by the YAML file at ``path`` if one is given."""
    data = default_data()
    if path is not None:
        try:
            override = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise ScalesError(f"{path}: cannot read the scales file: {error}") from None
        if not isinstance(override, dict):
            raise ScalesError(f"{path}: a scales file is a mapping (see docs/auditor.md)")
        unknown = set(override) - set(data)
        if unknown:
            raise ScalesError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
        data = _merged(data, override)
    _check(data)
    return Scales(data)


def _merged(base: dict[str, Any], override: dict[str, Any], path: str = "") -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(base.get(key), dict):
            if not isinstance(value, dict):
                raise ScalesError(f"scales: {path}{key} should be a mapping")
            merged[key] = _merged(base[key], value, f"{path}{key}.")
        else:
            merged[key] = value
    return merged


def _check(data: dict[str, Any]) -> None:
    """Numbers where numbers are expected; a gravity of zero would divide by zero."""
    numbers = [
        *data["severity"]["effects"].values(),
        *data["severity"]["domains"].values(),
        data["open_ended_years"],
        data["rating_grade_years"],
        data["proportionality_alarm"],
    ]
    gravities = [
        *data["gravity"]["categories"].values(),
        *data["gravity"]["domains"].values(),
        data["gravity"]["default"],
    ]
    for value in [*numbers, *gravities]:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ScalesError(f"scales: {value!r} should be a number >= 0")
    if any(value == 0 for value in gravities):
        raise ScalesError("scales: a gravity must be greater than 0")
    groups = data["related_domains"]
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise ScalesError("scales: related_domains should be a list of lists of domains")
    paths = data["due_process_paths"].values()
    if not all(isinstance(kinds, list) for kinds in paths):
        raise ScalesError("scales: each due_process_paths entry should be a list of step kinds")
    if not isinstance(data["rights_reducing_effects"], list):
        raise ScalesError("scales: rights_reducing_effects should be a list of effects")
    for key, entry in data["legality"].items():
        _check_legality(key, entry)


def _check_legality(key: str, entry: Any) -> None:
    """A legality entry: a basis, and for measures and lists a mapping with a list of levels."""
    if not isinstance(entry, dict) or "basis" not in entry:
        raise ScalesError(f"scales: legality.{key} should be a mapping with a basis")
    for part in ("measures", "lists"):
        rule = entry.get(part)
        if not isinstance(rule, dict) or not isinstance(rule.get("levels"), list):
            raise ScalesError(
                f"scales: legality.{key}.{part} should be a mapping with levels: [...]"
            )
        if not isinstance(rule.get("issued_by", []), list):
            raise ScalesError(f"scales: legality.{key}.{part}.issued_by should be a list")
