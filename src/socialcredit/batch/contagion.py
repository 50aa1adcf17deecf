"""Contagion in the plan: an organisation takes a grade from another organisation through a
person who holds one of ``to_roles`` in it and one of ``from_roles`` in the other (both on
the date asked about), the other graded one of ``from_grades`` by its own rating; with
``started_after_grade``, only through a role here that began on or after the day the other
was graded (``graded_on``). The first officer (``org_ord``) and his first other role
(``person_ord``) decide, as in the reference engine (``Engine._contagion``).
"""

from __future__ import annotations

import datetime as dt

from socialcredit.batch.after_band import RootHit, sql_date
from socialcredit.core.pack.model import RatingRule
from socialcredit.core.pack.schema import Contagion

# A relation (table alias {0}) held on the date {1}, as ``Relation.holds_on``.
HELD = "({0}.since IS NULL OR {0}.since <= {1}) AND ({0}.until IS NULL OR {1} < {0}.until)"


def contagion_steps(
    rule: RatingRule, as_of: dt.date, own: str, root: list[RootHit]
) -> list[tuple[str, str]]:
    """The tables ``source_<i>`` (for each subject, the first organisation and person its
    grade spreads from by rule ``i``) and ``final``: the grade after contagion."""
    rules = rule.version.contagion
    steps = [(f"source_{i}", _source(c, as_of, own)) for i, c in enumerate(rules)]
    grade, source, org, person = "CASE", "CASE", "CASE", "CASE"
    for i, c in enumerate(rules):
        same, found = f"m.grade = '{c.grade}'", f"source_{i}.org IS NOT NULL"
        grade += f" WHEN {same} THEN m.grade WHEN {found} THEN '{c.grade}'"
        source += f" WHEN {same} THEN NULL WHEN {found} THEN '{c.id}'"
        org += f" WHEN {same} THEN NULL WHEN {found} THEN source_{i}.org"
        person += f" WHEN {same} THEN NULL WHEN {found} THEN source_{i}.person"
    joins = "".join(
        f" LEFT JOIN source_{i} ON source_{i}.subject = m.subject" for i in range(len(rules))
    )
    columns = (
        f"{grade} ELSE m.grade END AS grade, {source} ELSE NULL END AS contagion_id,"
        f" {org} ELSE NULL END AS contagion_org, {person} ELSE NULL END AS contagion_person"
        if rules
        else "m.grade, NULL AS contagion_id, NULL AS contagion_org, NULL AS contagion_person"
    )
    hits = "".join(f", m.ab_{h.index}_hit, m.ab_{h.index}_score" for h in root)
    final = (
        f"SELECT m.subject, m.score, {columns}, m.direct_id, m.direct_record,"
        f" m.capped_id, m.capped_record{hits} FROM {own} AS m{joins} WHERE m.labelled"
    )
    return [*steps, ("final", final)]


def _source(c: Contagion, as_of: dt.date, own: str) -> str:
    """Each organisation's first officer holding a role elsewhere that spreads the grade."""
    on = sql_date(as_of)
    to_roles = ", ".join(f"'{r}'" for r in c.target_roles)
    from_roles = ", ".join(f"'{r}'" for r in c.source_roles)
    from_grades = ", ".join(f"'{g}'" for g in c.from_grades)
    after = " AND o.since IS NOT NULL AND o.since >= g.graded_on" if c.started_after_grade else ""
    return (
        "SELECT subject, org, person FROM (SELECT o.org_id AS subject, x.org_id AS org,"
        " o.person_id AS person, ROW_NUMBER() OVER (PARTITION BY o.org_id"
        " ORDER BY o.org_ord, x.person_ord) AS n FROM relations AS o"
        " JOIN relations AS x ON x.person_id = o.person_id"
        f" JOIN {own} AS g ON g.subject = x.org_id"
        f" WHERE o.role IN ({to_roles}) AND x.role IN ({from_roles})"
        f" AND x.org_id <> o.org_id AND {HELD.format('o', on)} AND {HELD.format('x', on)}"
        f" AND g.grade IN ({from_grades}){after}) AS ranked WHERE n = 1"
    )
