"""Loading packs from ``packs/<pack-id>/pack.yaml`` into a checked ``Rulebook``.

Every error is a PackError naming the file, the line and the key or expression at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from socialcredit.core.actions import SHARED_ACTIONS
from socialcredit.core.catalog import FieldType
from socialcredit.core.errors import PackError
from socialcredit.core.pack.basics import Dated
from socialcredit.core.pack.checks import check_names, check_public
from socialcredit.core.pack.model import (
    Expression,
    ListRule,
    MemorandumRule,
    Pack,
    PerRecord,
    RatingRule,
    Rulebook,
    compile_expression,
)
from socialcredit.core.pack.schema import (
    AfterBand,
    Memorandum,
    PackSpec,
    Parameter,
    RatingVersion,
)
from socialcredit.core.pack.yaml_lines import Located

PACK_FILE = "pack.yaml"


def find_packs(root: Path) -> list[Path]:
    """Pack folders under ``root``, in name order."""
    return sorted(p.parent for p in root.glob(f"*/{PACK_FILE}"))


def read_pack(folder: Path) -> Pack:
    """Read and validate one pack's ``pack.yaml`` against the schema."""
    file = folder / PACK_FILE
    if not file.is_file():
        raise PackError(str(file), None, "", "no such pack file")
    located = Located(str(file), file.read_text(encoding="utf-8"))
    if not isinstance(located.data, dict):
        raise PackError(str(file), 1, "", "a pack is a mapping of keys (id, title, sources...)")
    try:
        spec = PackSpec.model_validate(located.data)
    except ValidationError as error:
        first = error.errors()[0]
        path = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))
        raise located.error(path, _pydantic_message(first)) from None
    if spec.id != folder.name:
        raise located.error(("id",), f"pack id {spec.id!r} differs from its folder {folder.name!r}")
    return Pack(spec, folder, located)


def _pydantic_message(error: ErrorDetails) -> str:
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "unknown key (see docs/packs.md for the keys a pack may have)"
    return message.removeprefix("Value error, ")


def load_rulebook(
    folders: Iterable[Path], parameters: Mapping[str, Mapping[str, object]] | None = None
) -> Rulebook:
    """Read, validate and compile packs into one rulebook.

    ``parameters`` overrides parameter values by pack id and name (a what-if): the new value
    replaces every dated value, so the parameter keeps the dates it is in force from."""
    packs = [read_pack(Path(f)) for f in folders]
    packs = [with_parameters(p, (parameters or {}).get(p.id, {})) for p in packs]
    unknown = set(parameters or {}) - {p.id for p in packs}
    if unknown:
        raise PackError(
            "", None, "", f"parameter overrides for packs not loaded: {sorted(unknown)}"
        )
    book = Rulebook()
    for pack in packs:
        if pack.id in book.packs:
            raise pack.located.error(("id",), f"pack {pack.id!r} is loaded twice")
        book.packs[pack.id] = pack
    for pack in packs:
        _check_requires(pack, book)
        book.actions.update(SHARED_ACTIONS)
        book.actions.update({a: d.domain for a, d in pack.spec.actions.items()})
        _add_categories(pack, book)
    for pack in packs:
        _add_lists(pack, book)
        _add_ratings(pack, book)
    for pack in packs:
        _add_memoranda(pack, book)
        _check_citations(pack, book)
    return book


def with_parameters(pack: Pack, values: Mapping[str, object]) -> Pack:
    """The pack with the named parameters set to new values, checked against their range."""
    if not values:
        return pack
    parameters = dict(pack.spec.parameters)
    for name, value in values.items():
        if name not in parameters:
            known = ", ".join(sorted(parameters)) or "none"
            raise pack.located.error(("parameters",), f"no parameter {name!r} (known: {known})")
        old = parameters[name]
        data = {**old.model_dump(), "values": {day: value for day in old.values}}
        try:
            parameters[name] = Parameter.model_validate(data)
        except ValidationError as error:
            message = _pydantic_message(error.errors()[0])
            raise pack.located.error(("parameters", name), message) from None
    spec = pack.spec.model_copy(update={"parameters": parameters})
    return Pack(spec, pack.path, pack.located)


def _check_requires(pack: Pack, book: Rulebook) -> None:
    for index, required in enumerate(pack.spec.requires):
        if required not in book.packs:
            raise pack.located.error(
                ("requires", index), f"requires pack {required!r}, which is not loaded"
            )


def _add_categories(pack: Pack, book: Rulebook) -> None:
    for category_id, category in pack.spec.catalog.items():
        path = ("catalog", category_id)
        if category_id in book.categories:
            other = book.categories[category_id][0].id
            raise pack.located.error(path, f"category already defined by pack {other!r}")
        fields: dict[str, FieldType] = {}
        for name, type_text in category.fields.items():
            try:
                fields[name] = FieldType.parse(type_text)
            except ValueError as error:
                raise pack.located.error((*path, "fields", name), str(error)) from None
        book.categories[category_id] = (pack, category, fields)


def _category_fields(
    book: Rulebook, pack: Pack, category: str, path: Sequence[str | int]
) -> dict[str, FieldType]:
    if category not in book.categories:
        known = ", ".join(sorted(book.categories)) or "none"
        raise pack.located.error(path, f"unknown category {category!r} (known: {known})")
    return book.categories[category][2]


def _add_lists(pack: Pack, book: Rulebook) -> None:
    for list_id, definition in pack.spec.lists.items():
        if list_id in book.lists:
            raise pack.located.error(("lists", list_id), "list already defined by another pack")
        rules = []
        for index, version in enumerate(definition.versions):
            path: tuple[str | int, ...] = ("lists", list_id, "versions", index)
            category, alias = version.category_and_alias
            fields = _category_fields(book, pack, category, (*path, "entry_per"))
            scope = {alias: fields}
            for key in ("public", "public_period", "public_way_off"):
                check_public(pack, getattr(version, key), alias, fields, (*path, key))
            starts = version.starts or f"{alias}.decided_on"
            rules.append(
                ListRule(
                    list_id=list_id,
                    definition=definition,
                    version=version,
                    pack=pack,
                    category=category,
                    alias=alias,
                    include=_checked(version.include, scope, pack, (*path, "include")),
                    exemptions=tuple(
                        (e, _checked(e.when, scope, pack, (*path, "exemptions", i, "when")))
                        for i, e in enumerate(version.exemptions)
                    ),
                    starts=_checked(starts, scope, pack, (*path, "starts")),
                    ends=_checked(version.ends, scope, pack, (*path, "ends"))
                    if version.ends
                    else None,
                    removals=tuple(
                        (r, _checked(r.date, scope, pack, (*path, "removed_when", i, "date")))
                        for i, r in enumerate(version.removed_when)
                    ),
                )
            )
        _check_no_overlap(pack, ("lists", list_id), [r.version for r in rules])
        book.lists[list_id] = rules


def _add_ratings(pack: Pack, book: Rulebook) -> None:
    for rating_id, definition in pack.spec.ratings.items():
        if rating_id in book.ratings:
            raise pack.located.error(
                ("ratings", rating_id), "rating already defined by another pack"
            )
        rules = []
        for index, version in enumerate(definition.versions):
            path: tuple[str | int, ...] = ("ratings", rating_id, "versions", index)
            contributions = []
            for i, c in enumerate(version.contributions):
                per = _per_record(book, pack, c.per, c.when, (*path, "contributions", i))
                scope = {per.alias: book.categories[per.category][2]}
                points = _checked(c.points, scope, pack, (*path, "contributions", i, "points"))
                contributions.append((c, per, points))
            direct = [
                (d, _per_record(book, pack, d.per, d.when, (*path, "direct", i), ("score",)))
                for i, d in enumerate(version.direct)
            ]
            caps = [
                (c, _per_record(book, pack, c.per, c.when, (*path, "caps", i), ("score",)))
                for i, c in enumerate(version.caps)
            ]
            _check_grades(pack, path, version)
            eligible = tuple(
                (e, _per_record(book, pack, e.per, e.when, (*path, "eligible", i)))
                for i, e in enumerate(version.eligible)
            )
            rule = RatingRule(
                rating_id,
                definition,
                version,
                pack,
                tuple(contributions),
                tuple(direct),
                tuple(caps),
                eligible,
                _after_band(pack, path, version),
            )
            rules.append(rule)
        _check_no_overlap(pack, ("ratings", rating_id), [r.version for r in rules])
        book.ratings[rating_id] = rules


def _after_band(
    pack: Pack, path: tuple[str | int, ...], version: RatingVersion
) -> tuple[tuple[AfterBand, Expression, Expression | None], ...]:
    compiled = []
    for i, spec in enumerate(version.after_band):
        where = (*path, "after_band", i)
        when = _checked(spec.when, {}, pack, (*where, "when"))
        points = _checked(spec.points, {}, pack, (*where, "points")) if spec.points else None
        compiled.append((spec, when, points))
    return tuple(compiled)


def _check_grades(pack: Pack, path: tuple[str | int, ...], version: RatingVersion) -> None:
    bands = [b.grade for b in version.bands]
    grades = {*bands, *(d.grade for d in version.direct), *(c.grade for c in version.contagion)}
    for i, cap in enumerate(version.caps):
        if cap.at_best not in bands:
            raise pack.located.error(
                (*path, "caps", i, "at_best"), f"{cap.at_best!r} is not a band"
            )
    for i, after in enumerate(version.after_band):
        for field_name, named, allowed in (
            ("band", after.band, bands),
            ("at_best", after.at_best, bands),
            ("grade", after.grade, grades),
        ):
            if named is not None and named not in allowed:
                kind = "grade" if field_name == "grade" else "band"
                error_path = (*path, "after_band", i, field_name)
                raise pack.located.error(error_path, f"{named!r} is not a {kind}")
    for i, rule in enumerate(version.contagion):
        for grade in rule.from_grades:
            if grade not in grades:
                key = (*path, "contagion", i, "from_grades")
                raise pack.located.error(key, f"unknown grade {grade!r}")


def _per_record(
    book: Rulebook,
    pack: Pack,
    per: str,
    when: str,
    path: tuple[str | int, ...],
    extra_names: tuple[str, ...] = (),
) -> PerRecord:
    category, alias, scope = _per_scope(book, pack, per, (*path, "per"))
    expression = compile_expression(when, pack.located, (*path, "when"))
    check_names(expression, scope, pack, (*path, "when"), extra_names)
    return PerRecord(category, alias, expression)


def _per_scope(
    book: Rulebook, pack: Pack, per: str, path: tuple[str | int, ...]
) -> tuple[str, str, dict[str, dict[str, FieldType]]]:
    words = per.split()
    if len(words) != 4 or words[0] != "record" or words[2] != "as":
        raise pack.located.error(path, f"{per!r} is not 'record <category> as <alias>'")
    category, alias = words[1], words[3]
    return category, alias, {alias: _category_fields(book, pack, category, path)}


def _checked(
    text: str, scope: dict[str, dict[str, FieldType]], pack: Pack, path: tuple[str | int, ...]
) -> Expression:
    compiled = compile_expression(text, pack.located, path)
    check_names(compiled, scope, pack, path)
    return compiled


def _check_no_overlap(pack: Pack, path: tuple[str, ...], versions: Sequence[Dated]) -> None:
    ordered = sorted(versions, key=lambda v: v.in_force)
    for earlier, later in pairwise(ordered):
        if earlier.until is None or earlier.until > later.in_force:
            raise pack.located.error(
                (*path, "versions"),
                f"the version in force from {earlier.in_force} must end (until) "
                f"on or before {later.in_force}, when the next one starts",
            )


def _add_memoranda(pack: Pack, book: Rulebook) -> None:
    for memo_id, memo in pack.spec.memoranda.items():
        path = ("memoranda", memo_id)
        trigger = memo.trigger
        if trigger.list_id is not None and trigger.list_id not in book.lists:
            raise pack.located.error(
                (*path, "trigger", "list"), f"unknown list {trigger.list_id!r}"
            )
        if trigger.rating is not None:
            if trigger.rating not in book.ratings:
                raise pack.located.error((*path, "trigger"), f"unknown rating {trigger.rating!r}")
            grades = {g for rule in book.ratings[trigger.rating] for g in rule.grades}
            for grade in trigger.grades:
                if grade not in grades:
                    raise pack.located.error(
                        (*path, "trigger", "grades"), f"unknown grade {grade!r}"
                    )
        for index, measure in enumerate(memo.measures):
            for action in measure.actions:
                if action not in book.actions:
                    raise pack.located.error(
                        (*path, "measures", index, "actions"),
                        f"unknown action {action!r}: use the shared vocabulary or declare it "
                        "under the pack's actions",
                    )
            check_public(pack, measure.public, "", {}, (*path, "measures", index, "public"))
        conditions = _measure_conditions(book, pack, memo, path)
        book.memoranda.append(MemorandumRule(memo_id, memo, pack, conditions))


def _measure_conditions(
    book: Rulebook, pack: Pack, memo: Memorandum, path: tuple[str, ...]
) -> dict[str, Expression]:
    """Each measure's ``when``, checked against the fields of the triggering records."""
    fields: dict[str, FieldType] = {}
    if memo.trigger.list_id is not None:
        for rule in book.lists[memo.trigger.list_id]:
            fields.update(book.categories[rule.category][2])
    scope = {"trigger": fields} if memo.trigger.list_id is not None else {}
    return {
        measure.id: _checked(measure.when, scope, pack, (*path, "measures", index, "when"))
        for index, measure in enumerate(memo.measures)
        if measure.when is not None
    }


def _check_citations(pack: Pack, book: Rulebook) -> None:
    """Every legal basis must name a source of the pack (or of a pack it requires)."""
    for path, reference in _legal_references(pack.located.data, ()):
        try:
            book.cite(pack, reference)
        except KeyError:
            source = reference.split(" ")[0]
            raise pack.located.error(path, f"cites unknown source {source!r}") from None


def _legal_references(
    node: object, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("legal_basis", "source") and isinstance(value, str):
                found.append(((*path, key), value))
            else:
                found.extend(_legal_references(value, (*path, str(key))))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_legal_references(item, (*path, index)))
    return found
