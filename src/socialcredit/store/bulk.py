"""Inserting many rows of one table at once, without SQLAlchemy's per-row parameter handling
(a third of an ingest's time went there): ``COPY ... FROM STDIN`` on PostgreSQL, the
driver's ``executemany`` of one prepared statement on SQLite. Values are converted by the
columns' own types (JSON as ``store_json`` writes it, dates), so what is stored is what
``insert(table)`` would store. Every row names the same columns; a missing value is an
error, never a silent NULL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert

from socialcredit.store.database import store_json


def insert_rows(db: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column values) into ``table`` in the caller's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    if db.dialect.name == "postgresql":
        _copy(db, table, columns, rows)
    elif db.dialect.name == "sqlite":
        _executemany(db, table, columns, rows)
    else:
        db.execute(insert(table), list(rows))


def _names(db: Connection, table: Table, columns: list[str]) -> str:
    quote = db.dialect.identifier_preparer.quote
    return ", ".join(quote(table.c[name].name) for name in columns)


def _executemany(
    db: Connection, table: Table, columns: list[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    processors = [table.c[name].type.bind_processor(db.dialect) for name in columns]
    converted = [(i, convert) for i, convert in enumerate(processors) if convert is not None]
    values = []
    for row in rows:
        value = [row[name] for name in columns]
        for i, convert in converted:  # only the columns whose type converts (JSON, dates)
            value[i] = convert(value[i])
        values.append(tuple(value))
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({_names(db, table, columns)}) VALUES ({marks})"
    db.exec_driver_sql(sql, values)


def _copy(
    db: Connection, table: Table, columns: list[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    pairs = list(zip(columns, as_json, strict=True))
    sql = f"COPY {table.name} ({_names(db, table, columns)}) FROM STDIN"
    raw: Any = db.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(
                tuple(
                    store_json(row[name]) if is_json else row[name]  # None: JSON null
                    for name, is_json in pairs
                )
            )
