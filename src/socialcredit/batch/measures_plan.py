"""The measures in force, compiled to SQL: what ``core/engine/measures.py::measures_reached``
finds for the entries active on the plan's date and for every rating, as one query written
for DuckDB or Spark (``measures_query(book, plan).sql(dialect)``).

The query reads tables that must exist in the backend first: the plan's category views
(``asof_<category>``: a triggering record as known on the date), ``entry_rows`` (the plan's
entries), each rating's grade rows as the table ``grades_view(plan, rating_id)`` (built from
``statements["grades:<rating>"]`` right after that rating's step tables, which the next
rating's replace), and the input tables ``subjects`` and ``relations``.

``measure_specs`` is a small VALUES table: a row per measure in force on the date (of a
memorandum in force), per target and per triggering grade. ``holders`` reaches every subject
itself (role ``subject``) and whoever holds a role in it through a relation begun by the date.
One branch per category of the triggering lists' entries, and one per rating, join the
triggers to both; a measure's ``when`` is a CASE over the measure (``mid``) compiled by the
expression compiler over the trigger's record (``trigger``), the subject reached
(``subject``), its pack's parameters on the date and ``as_of``. Categories and disclosure
classes are literals from the book. A row is kept when its period (the entry's, or from the
rating's date on; ``lasts`` caps it) holds the date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Protocol

import pyarrow as pa
import sqlglot
from sqlglot import exp

from socialcredit.batch.after_band import sql_date
from socialcredit.batch.compiler import Plan
from socialcredit.batch.contagion import HELD
from socialcredit.batch.expressions import literal
from socialcredit.batch.measure_rows import COLUMNS, MEASURES
from socialcredit.batch.measure_specs import Spec, holders, measure_specs, spec_table, when
from socialcredit.batch.plan import READ, view_name
from socialcredit.core.disclosure import disclosure_of, rating_disclosure
from socialcredit.core.facts import BUILTIN_RECORD_FIELDS
from socialcredit.core.pack.model import Rulebook

_FROM_SPEC = ("measure", "memorandum", "pack", "effect", "applied_by", "domain")
_ENTRY_ENDS = "LEAST(e.planned_end, e.removed_on)"  # null: no end (LEAST skips nulls)


class ArrowBackend(Protocol):
    """A backend that returns a query's result as an Arrow table."""

    dialect: str

    def arrow(self, sql: str) -> pa.Table: ...


def grades_view(plan: Plan, rating_id: str) -> str:
    """The table of a rating's grade rows that the measures read: ``grades_<n>``, ``n`` the
    rating's place in the plan."""
    return f"grades_{list(plan.ratings).index(rating_id)}"


def measures_table(backend: ArrowBackend, book: Rulebook, plan: Plan, as_of: dt.date) -> pa.Table:
    """Every measure in force on ``as_of`` (the plan's date), a row each (``MEASURES``)."""
    if as_of != plan.as_of:
        raise ValueError(f"the plan is as of {plan.as_of}, not {as_of}")
    query = measures_query(book, plan)
    if query is None:
        return MEASURES.empty_table()
    found = backend.arrow(query.sql(backend.dialect))
    return found.select(list(COLUMNS)).cast(MEASURES)


def measures_query(book: Rulebook, plan: Plan) -> exp.Expr | None:
    """The query of every measure in force on the plan's date; None: no memorandum applies."""
    day = plan.as_of
    specs = measure_specs(book, day)
    branches = [*_entry_branches(book, plan, specs), *_rating_branches(book, plan, specs)]
    if not branches:
        return None
    # the branches are fresh trees: built in place (copy=False), not copied at each step
    union: exp.Query = (
        branches[0] if len(branches) == 1 else exp.union(*branches, distinct=False, copy=False)
    )
    on = sql_date(day)
    kept = f"a.starts <= {on} AND (a.until IS NULL OR {on} < a.until)"
    query = sqlglot.select("*").from_(union.subquery("a", copy=False), copy=False)
    query = query.where(kept, dialect=READ, copy=False)
    query = query.with_("measure_specs", spec_table(specs), copy=False)
    return query.with_("holders", holders(day), copy=False)


def _entry_branches(book: Rulebook, plan: Plan, specs: list[Spec]) -> Iterator[exp.Select]:
    """A branch per category of the list versions that trigger a measure."""
    if plan.entries is None:
        return
    listed = sorted({s.memo.spec.trigger.list_id or "" for s in specs} - {""})
    versions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for list_id in listed:
        for index, rule in enumerate(book.lists[list_id]):
            versions[rule.category].append((list_id, index))
    for category, pairs in versions.items():
        yield _entry_branch(book, specs, category, pairs, plan.as_of)


def _entry_branch(
    book: Rulebook, specs: list[Spec], category: str, pairs: list[tuple[str, int]], day: dt.date
) -> exp.Select:
    """The measures of the entries of list versions of one category, active on the day."""
    lists = {list_id for list_id, _ in pairs}
    ours = [s for s in specs if s.memo.spec.trigger.list_id in lists]
    types = {name: t.base for name, t in book.categories[category][2].items()}
    on, ends = sql_date(day), _ENTRY_ENDS
    versions = " OR ".join(f"(e.list_id = {_text(i)} AND e.version = {v})" for i, v in pairs)
    values: dict[str, str | exp.Expr] = {
        "key": _key("'|entry:' || e.list_id || ':' || e.record_id"),
        "category": _text(category),
        "disclosure": _text(disclosure_of(book, category) or "restricted"),
        "agency": "r.agency",
        "trigger_kind": "'list_entry'",
        "trigger_list": "e.list_id",
        "trigger_record": "e.record_id",
        "trigger_subject": "e.subject",
        "starts": "e.starts",
        "until": _until("e.starts", ends),
    }
    held_at_start, held_now = HELD.format("h", "e.starts"), HELD.format("h", on)
    reached = f"CASE WHEN m.at_start THEN {held_at_start} ELSE {held_now} END"
    conditions = [versions, f"e.starts <= {on} AND ({ends} IS NULL OR {on} < {ends})", reached]
    query = (
        _select(values)
        .from_("entry_rows AS e")
        .join(f"{view_name(category)} AS r", on="r.id = e.record_id")
        .join("holders AS h", on="h.org_id = e.subject")
        .join("measure_specs AS m", on="m.list_id = e.list_id AND m.target = h.role")
        .join("subjects AS s", on="s.id = h.person_id")
        .where(*conditions, dialect=READ)
    )
    known = {*types, *BUILTIN_RECORD_FIELDS}
    return when(query, ours, {"trigger": ("r", types)}, day, known)


def _rating_branches(book: Rulebook, plan: Plan, specs: list[Spec]) -> Iterator[exp.Select]:
    """A branch per rating of the plan whose grades trigger a measure."""
    rated = {s.memo.spec.trigger.rating for s in specs}
    for rating_id in plan.ratings:
        if rating_id not in rated:
            continue
        on = sql_date(plan.as_of)
        values: dict[str, str | exp.Expr] = {
            "key": _key(f"'|rating:' || {_text(rating_id)} || ':' || g.subject"),
            "disclosure": _text(rating_disclosure(book, rating_id)),
            "trigger_kind": "'rating'",
            "trigger_rating": _text(rating_id),
            "trigger_grade": "g.grade",
            "trigger_subject": "g.subject",
            "starts": on,
            "until": _until(on, "CAST(NULL AS DATE)"),
        }
        matched = f"m.rating_id = {_text(rating_id)} AND m.grade = g.grade AND m.target = h.role"
        query = (
            _select(values)
            .from_(f"{grades_view(plan, rating_id)} AS g")
            .join("holders AS h", on="h.org_id = g.subject")
            .join("measure_specs AS m", on=matched)
            .join("subjects AS s", on="s.id = h.person_id")
            .where(HELD.format("h", on), dialect=READ)
        )
        ours = [s for s in specs if s.memo.spec.trigger.rating == rating_id]
        yield when(query, ours, {}, plan.as_of, set())


def _select(values: dict[str, str | exp.Expr]) -> exp.Select:
    """The branch's columns in ``COLUMNS`` order; those not given are typed nulls, or come
    from the measure and the holder."""
    common = {name: f"m.{name}" for name in _FROM_SPEC}
    common.update(subject_id="h.person_id", target="h.role")
    common["via"] = "CASE WHEN h.own THEN NULL ELSE h.org_id END"
    columns: dict[str, str | exp.Expr] = {**common, **values}
    return sqlglot.select(*(_column(columns.get(name), name) for name in COLUMNS))


def _column(value: str | exp.Expr | None, name: str) -> exp.Expr:
    """``value`` (DuckDB SQL, or a tree) as ``name``; none: a null string."""
    if value is None:
        value = "CAST(NULL AS VARCHAR)"
    tree = sqlglot.parse_one(value, read=READ) if isinstance(value, str) else value
    return exp.alias_(tree, name)


def _key(trigger: str) -> str:
    """``<memorandum>|<measure>|<subject reached>|<trigger>``, as the feed keys a measure."""
    return f"m.memorandum || '|' || m.measure || '|' || h.person_id || {trigger}"


def _text(value: str) -> str:
    return literal(value).sql(READ)


def _until(starts: str, ends: str) -> exp.Expr:
    """The period's end: the trigger's, capped by ``lasts`` from its start (months, then
    days, as ``add_interval``: a month end or 29 February falls back to the month's end)."""
    day = sqlglot.parse_one(starts, read=READ)
    for unit, column in (("MONTH", "lasts_months"), ("DAY", "lasts_days")):
        count = exp.column(column, table="m")  # INT: what Spark's DATE_ADD takes
        day = exp.DateAdd(this=day, expression=count, unit=exp.Var(this=unit))
        day = exp.cast(day, exp.DataType.Type.DATE)
    end = sqlglot.parse_one(ends, read=READ)
    limit = exp.Least(this=end.copy(), expressions=[day], ignore_nulls=True)
    lasting = exp.Is(this=exp.column("lasts_months", table="m"), expression=exp.null())
    return exp.Case().when(lasting, end).else_(limit)
