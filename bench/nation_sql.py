"""A nation of N records over every catalog category of a rulebook, generated in DuckDB SQL
and written as the batch engines' Parquet input (``batch/inputs.py``: one folder per table).

Every value is a function of the row number and a seed through DuckDB's ``hash``, so the
same seed, size and DuckDB version give the same nation, and nothing passes through Python:
``COPY (SELECT ... FROM range(n)) TO '<folder>/<table>/part-N.parquet'``. Persons carry
resident ID numbers and organisations unified social credit codes (``nation_ids``).
Organisations have a legal representative, some a principal and an actual
controller (``relations``, the same persons their ``market.registration`` record names);
records have status histories. The proportions are in ``nation_shape``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import nation_shape as shape
import pyarrow as pa
from nation_ids import identifier_macros, region_codes

from socialcredit.batch.inputs import schemas
from socialcredit.batch.plan import category_table
from socialcredit.core.catalog import FieldType
from socialcredit.core.pack.model import Rulebook

ROLES = ("legal_representative", "principal", "actual_controller")
_SQL_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "double": "DOUBLE", "date32[day]": "DATE"}


def _sql_type(kind: pa.DataType) -> str:
    return "BOOLEAN" if kind == pa.bool_() else _SQL_TYPES[str(kind)]


def _days(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def macros(seed: int, persons: int) -> list[str]:
    """The SQL macros of the generator: random draws, identifiers, organisations' officers."""
    codes = region_codes()
    born, birth_days = shape.BIRTHS[0], _days(*shape.BIRTHS)
    n = len(codes)
    if persons > n * 1000 * birth_days:
        raise ValueError(f"at most {n * 1000 * birth_days} distinct persons")
    registered = shape.REGISTERED[0]
    return [
        f"CREATE OR REPLACE MACRO u(i, salt) AS hash({seed}, i, salt) / 18446744073709551616.0",
        f"CREATE OR REPLACE MACRO pick(i, salt, n) AS (hash({seed}, i, salt) % n)::BIGINT",
        "CREATE OR REPLACE MACRO gauss(i, salt) AS sqrt(-2 * ln(1 - u(i, salt || ':a')))"
        " * cos(2 * pi() * u(i, salt || ':b'))",
        f"CREATE OR REPLACE MACRO region_of(i) AS {codes!r}[(i % {n}) + 1]",
        f"CREATE OR REPLACE MACRO region_num(i) AS {[int(c) for c in codes]}[(i % {n}) + 1]",
        # distinct persons: (region, sequence, day) from i, the day shifted per pair
        f"CREATE OR REPLACE MACRO birth_of(i) AS DATE '{born}' + ((i // {n} // 1000"
        f" + pick((i % {n}) * 1000 + (i // {n}) % 1000, 'birth', {birth_days}))"
        f" % {birth_days})::INTEGER",
        *identifier_macros(n),
        f"CREATE OR REPLACE MACRO registered_of(j) AS DATE '{registered}'"
        f" + pick(j, 'org:registered', {_days(*shape.REGISTERED)})::INTEGER",
        f"CREATE OR REPLACE MACRO officer(j, r) AS pick(j, 'org:role' || r, {persons})",
        f"CREATE OR REPLACE MACRO holds(j, r) AS r = 0 OR (r = 1 AND u(j, 'org:principal') <"
        f" {shape.PRINCIPAL_SHARE}) OR (r = 2 AND u(j, 'org:controller') <"
        f" {shape.ACTUAL_CONTROLLER_SHARE})",
    ]


def _weighted(salt: str, weights: shape.Weights, quote: bool = True) -> str:
    total = sum(w for _, w in weights)
    cases, cumulative = [], 0.0
    for value, weight in weights[:-1]:
        cumulative += weight / total
        cases.append(f"WHEN u(k, '{salt}') < {cumulative!r} THEN {_lit(value, quote)}")
    return f"CASE {' '.join(cases)} ELSE {_lit(weights[-1][0], quote)} END"


def _lit(value: str, quote: bool) -> str:
    return "'" + value.replace("'", "''") + "'" if quote else value


def _value(key: str, name: str, kind: FieldType, persons: int) -> str:
    """SQL of one field's value (before optional fields are emptied)."""
    if kind.choices:
        weights = shape.ENUM_WEIGHTS.get(key, tuple((c, 1.0) for c in kind.choices))
        unknown = {v for v, _ in weights} - set(kind.choices)
        if unknown:
            raise ValueError(f"{key}: {sorted(unknown)} are not choices of the catalog")
        return _weighted(key, weights)
    if key in shape.NUMBER_WEIGHTS:
        return _weighted(key, shape.NUMBER_WEIGHTS[key], quote=False)
    base = kind.base
    if base == "bool":
        return f"u(k, '{key}') < {shape.TRUE_SHARE.get(key, shape.DEFAULT_TRUE_SHARE)}"
    if base in ("money", "decimal"):
        median, sigma = shape.MONEY.get(key, shape.DEFAULT_MONEY)
        return f"round(exp(ln({median}) + {sigma} * gauss(k, '{key}')), 2)"
    if base == "int" and name in shape.YEAR_FIELDS:
        return "year(decided_on) - 1"
    if base == "int":
        low, high = shape.INT_RANGES.get(key, shape.DEFAULT_INT_RANGE)
        return f"{low} + pick(k, '{key}', {high - low + 1})"
    if base == "date":
        low, high = shape.DATE_DAYS.get(key, shape.DEFAULT_DATE_DAYS)
        return f"decided_on + ({low} + pick(k, '{key}', {high - low + 1}))::INTEGER"
    if base == "id":
        return f"person_id(pick(k, '{key}', {persons}))"
    return f"'{name}-' || pick(k, '{key}', 1000)"


def _field(category: str, name: str, kind: FieldType, persons: int) -> str:
    if category == "market.registration" and name in ROLES:
        r = ROLES.index(name)
        return f"CASE WHEN holds(k, {r}) THEN person_id(officer(k, {r})) END"
    key = f"{category}.{name}"
    value = _value(key, name, kind, persons)
    if not kind.optional:
        return value
    return f"CASE WHEN u(k, '{key}:null') < {shape.NULL_SHARE} THEN NULL ELSE {value} END"


def records_sql(book: Rulebook, category: str, first: tuple[int, int], sizes: Sizes) -> str:
    """The SELECT of one category's ``count`` records, ``ord`` from ``offset`` + 1
    (``first`` is the pair); the subject is drawn (``who``) before the decision day, which
    depends on the person's birth."""
    offset, count = first
    index = sorted(book.categories).index(category)
    agencies = book.categories[category][1].agencies
    if category == "market.registration":  # one per organisation, on its registration day
        on_org, who, decided = "true", "k", "registered_of(k)"
    else:
        on_org = f"u(k, '{category}:kind') < {shape.ORG_SHARE.get(category, 0.0)}"
        pool = f"CASE WHEN on_org THEN {sizes.orgs} ELSE {sizes.persons} END"
        who = f"pick(k, '{category}:s', {pool})"
        drawn = f"DATE '{shape.FIRST_DAY}' + pick(k, '{category}:day', {sizes.days})::INTEGER"
        youngest = f"CAST(birth_of(who) + INTERVAL {shape.YOUNGEST} YEAR AS DATE)"
        later = f"greatest({drawn}, {youngest})"
        decided = f"CASE WHEN on_org THEN {drawn} ELSE {later} END"
    base = f"SELECT range AS k, {on_org} AS on_org FROM range({count})"
    base = f"SELECT *, {who} AS who FROM ({base})"
    columns = {
        "id": f"'r{index}.' || k",
        "subject": "CASE WHEN on_org THEN org_id(who) ELSE person_id(who) END",
        "category": f"'{category}'",
        "agency": f"{agencies!r}[pick(k, '{category}:agency', {len(agencies)}) + 1]",
        "doc_no": f"'D{index}-' || k",
        "decided_on": "decided_on",
        "ord": f"{offset} + k + 1",
    }
    for name, kind in book.categories[category][2].items():
        columns[name] = _field(category, name, kind, sizes.persons)
    table = schemas(book)[category_table(category)]
    select = ", ".join(
        f'CAST({columns[f.name]} AS {_sql_type(f.type)}) AS "{f.name}"' for f in table
    )
    return f"SELECT {select} FROM (SELECT *, {decided} AS decided_on FROM ({base}))"


class Sizes:
    """The nation's sizes: records, persons, organisations, and the days decisions span."""

    def __init__(self, records: int) -> None:
        self.records = records
        self.persons = max(1, round(records * shape.PERSONS_PER_RECORD))
        self.orgs = max(1, round(records * shape.ORGS_PER_RECORD))
        self.days = _days(shape.FIRST_DAY, shape.LAST_DAY)

    def per_category(self, book: Rulebook) -> dict[str, int]:
        """Records of each category: one registration per organisation, the rest by weight."""
        weights = {c: shape.RECORD_WEIGHTS.get(c, 0) for c in sorted(book.categories)}
        unknown = sorted(c for c, w in weights.items() if not w and c != "market.registration")
        if unknown:
            raise ValueError(f"no weight for categories {unknown}: add them to nation_shape")
        counts = {"market.registration": self.orgs} if "market.registration" in weights else {}
        rest, total = max(0, self.records - sum(counts.values())), sum(weights.values())
        for category, weight in weights.items():
            if weight:
                counts[category] = rest * weight // total
        counts[max(weights, key=weights.__getitem__)] += self.records - sum(counts.values())
        return dict(sorted(counts.items()))


def status_sql(category: str, folder: Path) -> str:
    """Status changes of one category's records (read back from its Parquet files)."""
    changes = shape.FIRST_CHANGE[category]
    cases, cumulative = [], 0.0
    for status, share in changes:
        cumulative += share
        cases.append(f"WHEN x < {cumulative!r} THEN '{status}'")
    low, high = shape.CHANGE_DAYS
    later = f"({low} + pick(seq, 'second:day', {high - low + 1}))::INTEGER"
    statuses = list(shape.SECOND_STATUSES)
    files = folder / category_table(category) / "*.parquet"
    first = (
        f"SELECT id AS record_id, CASE {' '.join(cases)} END AS status, decided_on"
        f" + ({low} + pick(ord, 'change:day', {high - low + 1}))::INTEGER AS date,"
        f" ord * 2 AS seq FROM (SELECT *, u(ord, 'change') AS x FROM read_parquet('{files}'))"
        f" WHERE x < {cumulative!r}"
    )
    second = (
        f"SELECT record_id, {statuses!r}[pick(seq, 'second', {len(statuses)}) + 1] AS status,"
        f" date + {later} AS date, seq + 1 AS seq FROM first"
        f" WHERE u(seq, 'second:share') < {shape.SECOND_CHANGE_SHARE}"
    )
    return f"WITH first AS ({first}) SELECT * FROM first UNION ALL {second}"


def subjects_sql(sizes: Sizes) -> str:
    persons = (
        "SELECT person_id(range) AS id, 'person' AS kind, NULL::VARCHAR AS name,"
        f" birth_of(range) AS birth_date, region_of(range) AS region FROM range({sizes.persons})"
    )
    orgs = (
        "SELECT org_id(range), 'organisation', NULL::VARCHAR, NULL::DATE,"
        f" region_of(pick(range, 'org:region', {len(region_codes())})) FROM range({sizes.orgs})"
    )
    return f"{persons} UNION ALL {orgs}"


def relations_sql(sizes: Sizes) -> str:
    """Each organisation's officers, in the order of their roles (``ROLES``)."""
    roles = ", ".join(f"({r}, '{role}')" for r, role in enumerate(ROLES))
    until = (
        f"CASE WHEN u(j * 3 + r, 'role:ended') < {shape.ENDED_ROLE_SHARE} THEN"
        " registered_of(j) + (1 + pick(j * 3 + r, 'role:until', 3000))::INTEGER END"
    )
    return (
        "SELECT org_id(j) AS org_id, role, person_id(officer(j, r)) AS person_id,"
        f" registered_of(j) AS since, {until} AS until, j * 3 + r AS org_ord,"
        f" j * 3 + r AS person_ord FROM range({sizes.orgs}) AS o(j),"
        f" (VALUES {roles}) AS roles(r, role) WHERE holds(j, r)"
    )


class _Writer:
    """COPY statements into ``<folder>/<table>/part-N.parquet``, cast to the input schemas."""

    def __init__(self, folder: Path, book: Rulebook, sizes: Sizes, seed: int) -> None:
        self.folder, self.tables = folder, schemas(book)
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")
        for statement in macros(seed, sizes.persons):
            self.con.execute(statement)
        self.written: dict[str, int] = {}

    def copy(self, name: str, sql: str, part: int = 0) -> None:
        directory = self.folder / name
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"part-{part:05d}.parquet"
        fields = self.tables[name]
        casts = ", ".join(f'CAST("{f.name}" AS {_sql_type(f.type)}) AS "{f.name}"' for f in fields)
        select = f"SELECT {casts} FROM ({sql})"
        self.con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        found = self.con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
        self.written[name] = self.written.get(name, 0) + (int(found[0]) if found else 0)


def write_nation(folder: Path, book: Rulebook, sizes: Sizes, seed: int) -> dict[str, int]:
    """Write the nation under ``folder``; return the rows written per table."""
    out = _Writer(folder, book, sizes, seed)
    out.copy("subjects", subjects_sql(sizes))
    out.copy("relations", relations_sql(sizes))
    offset, counts = 0, sizes.per_category(book)
    for category, count in counts.items():
        out.copy(category_table(category), records_sql(book, category, (offset, count), sizes))
        offset += count
    changing = [c for c in counts if c in shape.FIRST_CHANGE]
    for part, category in enumerate(changing):
        out.copy("record_status", status_sql(category, folder), part)
    if not changing:
        empty = "SELECT NULL AS record_id, NULL AS status, NULL AS date, NULL AS seq LIMIT 0"
        out.copy("record_status", empty)
    out.con.close()
    return out.written
