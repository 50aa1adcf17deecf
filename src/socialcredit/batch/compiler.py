"""The plan: a rulebook compiled to SQL queries over the input tables (see ``inputs``).

One table of the records' statuses as known on the date asked about, and one view per category
over it (each record with its status and ``<status>_on`` dates; a view, not a copy of every
record), one query for every list entry of every list version, and two
queries per rating (grades, contributions). The queries are sqlglot trees, written for DuckDB
or Spark by ``statements(dialect)``: one plan, two dialects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlglot import exp

from socialcredit.batch.plan import (
    STATUS_TABLE,
    as_of_view,
    list_query,
    status_view,
    view_name,
)
from socialcredit.batch.ratings_plan import RatingQueries, rating_plan
from socialcredit.core.pack.model import Rulebook

DIALECTS = ("duckdb", "spark")


@dataclass
class Plan:
    """Every query of a rulebook as of one date."""

    as_of: dt.date
    views: dict[str, exp.Expr] = field(default_factory=dict)
    lazy: set[str] = field(default_factory=set)  # views not worth materialising
    entries: exp.Expr | None = None
    ratings: dict[str, RatingQueries] = field(default_factory=dict)

    def statements(self, dialect: str) -> dict[str, str]:
        """Every query written in ``dialect``, by name: the views first, then ``entries``;
        for each rating the tables ``step:<rating>:<table>`` to build in order, then
        ``grades:<rating>`` and ``contributions:<rating>``."""
        if dialect not in DIALECTS:
            raise ValueError(f"unknown SQL dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
        named = dict(self.views)
        if self.entries is not None:
            named["entries"] = self.entries
        for rating_id, queries in self.ratings.items():
            for step, query in queries.steps:
                named[f"step:{rating_id}:{step}"] = query
            named[f"grades:{rating_id}"] = queries.grades
            named[f"contributions:{rating_id}"] = queries.contributions
        return {name: query.sql(dialect) for name, query in named.items()}


def compile_plan(book: Rulebook, as_of: dt.date, earliest: dt.date | None = None) -> Plan:
    """The plan of every list and rating of a rulebook as of ``as_of``; ``earliest`` is the
    earliest decision date of the input, where ``after_band`` chains stop (None: no input)."""
    plan = Plan(as_of)
    plan.views[STATUS_TABLE] = status_view(as_of)  # materialised once, small
    for category in book.categories:  # the records and their statuses, joined where read
        plan.views[view_name(category)] = as_of_view(category, as_of, STATUS_TABLE)
        plan.lazy.add(view_name(category))
    parts = [
        list_query(rule, index, as_of, book)
        for rules in book.lists.values()
        for index, rule in enumerate(rules)
    ]
    if parts:
        union = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False, copy=False)
        plan.entries = union
    for rating_id in book.ratings:
        rule = book.rating_rule_on(rating_id, as_of)
        if rule is not None:
            plan.ratings[rating_id] = rating_plan(book, rule, as_of, earliest)
    return plan
