"""Inserting many rows of one table at once, without SQLAlchemy's per-row parameter handling
(a third of an ingest's time went there): ``COPY ... FROM STDIN`` on PostgreSQL, the
driver's ``executemany`` of one prepared statement on SQLite. Values are converted by the
columns' own types (JSON as ``store_json`` writes it, dates), so what is stored is what
``insert(table)`` would store. Every row names the same columns; a missing value is an
error, never a silent NULL. Rows come as dicts (``insert_rows``) or as an Arrow table read
one record batch at a time (``insert_arrow``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import JSON, Connection, Table, insert

from socialcredit.store.database import store_json

BATCH_ROWS = 50_000


def insert_rows(db: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column values) into ``table`` in the caller's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    if db.dialect.name in ("postgresql", "sqlite"):
        _insert(db, table, columns, (tuple(row[name] for name in columns) for row in rows))
    else:
        db.execute(insert(table), list(rows))


def insert_arrow(
    db: Connection, table: Table, data: pa.Table, fixed: Mapping[str, Any] | None = None
) -> None:
    """Insert the rows of ``data`` (its columns named as ``table``'s), each with the values
    of ``fixed`` (the same for every row), in the caller's transaction."""
    if data.num_rows == 0:
        return
    fixed = dict(fixed or {})
    columns = [*fixed, *data.column_names]
    for batch in data.to_batches(max_chunksize=BATCH_ROWS):  # Python holds one batch at most
        if db.dialect.name in ("postgresql", "sqlite"):
            _insert(db, table, columns, _tuples(batch, tuple(fixed.values())))
        else:
            db.execute(insert(table), [{**fixed, **row} for row in batch.to_pylist()])


def _tuples(batch: pa.RecordBatch, fixed: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    values = [column.to_pylist() for column in batch.columns]
    for row in zip(*values, strict=True):
        yield fixed + row


def _insert(
    db: Connection, table: Table, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    if db.dialect.name == "postgresql":
        _copy(db, table, columns, rows)
    else:
        _executemany(db, table, columns, rows)


def _names(db: Connection, table: Table, columns: list[str]) -> str:
    quote = db.dialect.identifier_preparer.quote
    return ", ".join(quote(table.c[name].name) for name in columns)


def _executemany(
    db: Connection, table: Table, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    processors = [table.c[name].type.bind_processor(db.dialect) for name in columns]
    converted = [(i, convert) for i, convert in enumerate(processors) if convert is not None]
    values = []
    for row in rows:
        value = list(row)
        for i, convert in converted:  # only the columns whose type converts (JSON, dates)
            value[i] = convert(value[i])
        values.append(tuple(value))
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({_names(db, table, columns)}) VALUES ({marks})"
    db.exec_driver_sql(sql, values)


def _copy(
    db: Connection, table: Table, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    as_json = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    sql = f"COPY {table.name} ({_names(db, table, columns)}) FROM STDIN"
    raw: Any = db.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            if as_json:
                value = list(row)
                for i in as_json:
                    value[i] = store_json(value[i])  # None: JSON null
                row = tuple(value)
            copy.write_row(row)
