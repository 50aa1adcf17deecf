"""Ingest mappings: how one agency's own file layout reads as our records.

A mapping is a small YAML file (see docs/ingest-mappings.md): the agency and category, the
encoding, the date formats, each column of the file and the record key it fills (an
envelope key such as ``subject`` or a field of the category), and value maps such as
``是: "true"``. It is validated when loaded, and again against the catalog of the loaded
packs; every error names the file, the line and the key at fault.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from socialcredit.core.errors import PackError, SocialCreditError
from socialcredit.core.facts import STATUSES
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.yaml_lines import Located
from socialcredit.core.records import ENVELOPE
from socialcredit.io.encoding import check_codec

DATE_KEYS = ("decided_on", "status_date")
MAPPINGS_ROOT = Path(__file__).resolve().parents[3] / "mappings"  # the shipped mappings
Text = Annotated[str, Field(min_length=1, max_length=200)]


class MappingError(SocialCreditError):
    """A malformed ingest mapping; names the file, the line and the key at fault."""

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
        self.file, self.line, self.key, self.message = file, line, key, message


class MappingSpec(BaseModel):
    """The keys of a mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Text
    title: Text
    agency: Text
    category: Text
    encoding: str = "auto"
    sheet: str | None = None
    date_formats: list[str] = Field(default_factory=lambda: ["%Y-%m-%d"], min_length=1)
    columns: dict[Text, Text] = Field(min_length=1)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    dates: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)

    @field_validator("values", mode="before")
    @classmethod
    def _plain_values(cls, tables: object) -> object:
        """``是: true`` unquoted is a YAML boolean: read it as the text ``true``."""
        if not isinstance(tables, dict):
            return tables
        return {
            key: {str(raw): _text(ours) for raw, ours in table.items()}
            if isinstance(table, dict)
            else table
            for key, table in tables.items()
        }

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        return value if value == "auto" else check_codec(value)

    @field_validator("date_formats")
    @classmethod
    def _date_formats(cls, formats: list[str]) -> list[str]:
        for fmt in formats:
            if not all(part in fmt for part in ("%Y", "%m", "%d")):
                raise ValueError(f"date format {fmt!r} needs %Y, %m and %d")
            dt.datetime.strptime(dt.date(2018, 3, 1).strftime(fmt), fmt)
        return formats


def _text(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


class Mapping:
    """A loaded mapping: the spec, where it came from, and its lines for error messages."""

    def __init__(self, spec: MappingSpec, file: str, located: Located) -> None:
        self.spec, self.file, self.located = spec, file, located

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def label(self) -> str:
        """How reports name the mapping: by its id, with ``mappings/<file>`` for a shipped one
        (never the folder this machine keeps them in), else with the path as it was given."""
        path = Path(self.file)
        where = f"mappings/{path.name}" if path.resolve().parent == MAPPINGS_ROOT else self.file
        return f"{self.id} ({where})"

    def error(self, path: tuple[str | int, ...], message: str) -> MappingError:
        line = self.located.line_of(path)
        return MappingError(self.file, line, ".".join(map(str, path)), message)

    def date_keys(self, book: Rulebook | None = None) -> tuple[str, ...]:
        """The record keys read as dates: as declared, or the envelope's and the category's."""
        if self.spec.dates is not None:
            return tuple(self.spec.dates)
        found = list(DATE_KEYS)
        if book is not None and self.spec.category in book.categories:
            types = book.categories[self.spec.category][2]
            found += [name for name, kind in types.items() if kind.base == "date"]
        return tuple(found)


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file (its shape, not yet its catalog: see ``check``)."""
    if not path.is_file():
        raise MappingError(str(path), None, "", "no such mapping file")
    try:
        located = Located(str(path), path.read_text(encoding="utf-8"))
    except PackError as error:
        raise MappingError(error.file, error.line, error.key, error.message) from None
    except UnicodeDecodeError:
        raise MappingError(str(path), None, "", "a mapping file is UTF-8 text") from None
    if not isinstance(located.data, dict):
        raise MappingError(str(path), 1, "", "a mapping is a mapping of keys (id, columns...)")
    try:
        spec = MappingSpec.model_validate(located.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key (see docs/ingest-mappings.md for the keys a mapping may have)"
        line = located.line_of(where)
        raise MappingError(str(path), line, ".".join(map(str, where)), message) from None
    mapping = Mapping(spec, str(path), located)
    _check_shape(mapping)
    return mapping


def shipped_mappings() -> dict[str, Path]:
    """The mappings shipped in ``mappings/``, by id (the file's name without ``.yaml``)."""
    return {path.stem: path for path in sorted(MAPPINGS_ROOT.glob("*.yaml"))}


def shipped_mapping(name: str) -> Mapping:
    """A shipped mapping named by its id; a name that is not one of them is refused (an
    interface never reads a mapping from a path its caller names)."""
    found = shipped_mappings().get(name)
    if found is None:
        known = ", ".join(shipped_mappings()) or "none"
        raise MappingError("mappings/", None, "", f"no shipped mapping {name!r} (known: {known})")
    return load_mapping(found)


def _check_shape(mapping: Mapping) -> None:
    spec = mapping.spec
    targets = list(spec.columns.values())
    for column, target in spec.columns.items():
        if targets.count(target) > 1:
            raise mapping.error(("columns", column), f"{target!r} is filled by two columns")
    for column in spec.ignore:
        if column in spec.columns:
            raise mapping.error(("ignore",), f"column {column!r} is both mapped and ignored")
    for key in spec.values:
        if key not in targets:
            raise mapping.error(("values", key), f"{key!r} is not a target of any column")
    if "subject" not in targets:
        raise mapping.error(("columns",), "no column fills 'subject' (the identity number)")


def check(mapping: Mapping, book: Rulebook) -> None:
    """The mapping against the loaded catalog: its category, agency, targets and values."""
    spec = mapping.spec
    found = book.categories.get(spec.category)
    if found is None:
        raise mapping.error(("category",), f"{spec.category!r} is not in the loaded catalog")
    category, types = found[1], found[2]
    if spec.agency not in category.agencies:
        allowed = ", ".join(category.agencies)
        raise mapping.error(("agency",), f"{spec.agency!r} may not submit it (only {allowed})")
    known = set(ENVELOPE) - {"agency", "category"} | set(types)
    for column, target in spec.columns.items():
        if target not in known:
            fields = ", ".join(types)
            raise mapping.error(
                ("columns", column), f"{target!r} is no envelope key nor a field ({fields})"
            )
    for key, table in spec.values.items():
        kind = types.get(key)
        choices = STATUSES if key == "status" else (kind.choices if kind is not None else ())
        for raw, ours in table.items():
            if choices and ours not in choices:
                message = f"{ours!r} is not one of {', '.join(choices)}"
                raise mapping.error(("values", key, raw), message)
    for key in mapping.date_keys(book):
        if key not in known:
            raise mapping.error(("dates",), f"{key!r} is no envelope key nor a field")


def submitting_agency(agency: str | None, mapping: Mapping | None) -> str:
    """The agency a file is submitted as: the one named, else the mapping's; they must agree."""
    if mapping is None:
        if not agency:
            raise SocialCreditError("name the submitting agency with --agency, or a --mapping")
        return agency
    if agency and agency != mapping.spec.agency:
        raise mapping.error(
            ("agency",), f"the mapping is for {mapping.spec.agency!r}, not {agency!r}"
        )
    return mapping.spec.agency
