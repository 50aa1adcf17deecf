"""An entry's reason text computed in SQL, where the SQL text of each value is the text
Python gives it (``str``): strings and integers of the rule's own record. A reason naming
anything else (a date, a number with a fraction, a flag, a status, the subject or a
parameter) is left null here and filled in Python from the entry's record."""

from __future__ import annotations

from sqlglot import exp

from socialcredit.core.engine.lists import reason_pieces
from socialcredit.core.pack.model import ListRule, Rulebook

_TEXT_COLUMNS = ("subject", "category", "agency", "doc_no")
_AS_TEXT = {"text", "id", "enum", "int"}  # field types whose SQL text is Python's ``str``


def reason_sql(rule: ListRule, book: Rulebook) -> exp.Expr:
    """The reason of the rule's entry for the record ``r`` (text), or a null string."""
    types = {name: t.base for name, t in book.categories[rule.category][2].items()}
    parts: list[exp.Expr] = []
    for text, placeholder in reason_pieces(rule.version.reason):
        if text:
            parts.append(exp.Literal.string(text))
        if placeholder is None:
            continue
        scope, field = placeholder
        known = field in _TEXT_COLUMNS or types.get(field) in _AS_TEXT
        if scope != rule.alias or not known:
            return exp.cast(exp.null(), exp.DataType.Type.VARCHAR)
        value = exp.cast(exp.column(field, table="r", quoted=True), exp.DataType.Type.VARCHAR)
        parts.append(exp.Coalesce(this=value, expressions=[exp.Literal.string("?")]))
    if not parts:
        return exp.Literal.string("")
    return exp.Concat(expressions=parts)
