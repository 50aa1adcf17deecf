"""Static checks of expressions: every name must resolve, every enum literal must exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcredit.core.catalog import FieldType
from socialcredit.core.facts import BUILTIN_RECORD_FIELDS, SUBJECT_FIELDS
from socialcredit.core.rules import ast

if TYPE_CHECKING:
    from socialcredit.core.pack.model import Expression, Pack
    from socialcredit.core.pack.wording import PublicWording

GLOBALS = ("as_of",)


def check_names(
    expression: Expression,
    scope: dict[str, dict[str, FieldType]],
    pack: Pack,
    path: tuple[str | int, ...],
    extra_names: tuple[str, ...] = (),
) -> None:
    """Raise a PackError if the expression uses a name the scope does not define."""
    for node in ast.walk(expression.node):
        if isinstance(node, ast.Ref):
            problem = _name_problem(node, scope, pack, extra_names)
        elif isinstance(node, ast.Binary | ast.In):
            problem = _enum_problem(node, scope)
        else:
            problem = None
        if problem:
            raise pack.located.error(path, f"{problem} in {expression.source!r}")


def _name_problem(
    ref: ast.Ref, scope: dict[str, dict[str, FieldType]], pack: Pack, extra_names: tuple[str, ...]
) -> str | None:
    if len(ref.parts) == 1:
        known_globals = (*GLOBALS, *extra_names)
        return None if ref.parts[0] in known_globals else f"unknown name {ref.dotted!r}"
    if len(ref.parts) != 2:
        return f"{ref.dotted!r}: a name has the form alias.field"
    head, name = ref.parts
    if head in scope:
        known = [*scope[head], *BUILTIN_RECORD_FIELDS]
    elif head == "subject":
        known = list(SUBJECT_FIELDS)
    elif head == "parameters":
        known = list(pack.spec.parameters)
    else:
        heads = ", ".join([*scope, "subject", "parameters"])
        return f"unknown name {head!r} (known: {heads})"
    return None if name in known else f"{head} has no field {name!r} (it has {', '.join(known)})"


def _enum_problem(node: ast.Binary | ast.In, scope: dict[str, dict[str, FieldType]]) -> str | None:
    pairs: list[tuple[ast.Node, ast.Node]]
    if isinstance(node, ast.In):
        pairs = [(node.operand, option) for option in node.options]
    elif node.op in ("==", "!="):
        pairs = [(node.left, node.right), (node.right, node.left)]
    else:
        return None
    for ref, literal in pairs:
        field = _enum_field(ref, scope)
        if (
            field
            and isinstance(literal, ast.Literal)
            and literal.value not in (*field.choices, None)
        ):
            return f"{literal.value!r} is not a choice of {ref.dotted} ({', '.join(field.choices)})"  # type: ignore[union-attr]
    return None


def _enum_field(node: ast.Node, scope: dict[str, dict[str, FieldType]]) -> FieldType | None:
    if not isinstance(node, ast.Ref) or len(node.parts) != 2 or node.parts[0] not in scope:
        return None
    field = scope[node.parts[0]].get(node.parts[1])
    return field if field is not None and field.base == "enum" else None


def check_public(
    pack: Pack,
    wording: PublicWording | None,
    alias: str,
    fields: dict[str, FieldType],
    path: tuple[str | int, ...],
) -> None:
    """A list version's public wording fills only ``{alias.field}`` of its record; a
    measure's (``alias`` empty, no fields) fills none."""
    if wording is None:
        return
    known = set(fields) | set(BUILTIN_RECORD_FIELDS)
    for used_alias, name in sorted(wording.fields()):
        if used_alias != alias or name not in known:
            message = f"{{{used_alias}.{name}}} is not a field of the record {alias!r}"
            raise pack.located.error(path, message)
    for name in wording.terms:
        if name not in known:
            raise pack.located.error((*path, "terms", name), f"{name!r} is not a field")
