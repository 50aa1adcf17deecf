"""The DuckDB backend: input tables loaded from facts, the store or Parquet, the plan run in
the DuckDB dialect. Memory is DuckDB's (bounded by ``memory_limit``, spilling to disk);
Python holds one batch of input rows at a time and the output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import Connection

from socialcredit.batch.inputs import facts_tables, schemas, store_tables
from socialcredit.batch.objects import BatchOutput, objects_of
from socialcredit.batch.results import run_plan
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook


class DuckDBBackend:
    """One DuckDB connection holding the input tables of a rulebook."""

    dialect = "duckdb"

    def __init__(
        self,
        book: Rulebook,
        database: str = ":memory:",
        threads: int | None = None,
        memory_limit: str | None = None,
    ) -> None:
        self.book = book
        self.con = duckdb.connect(database)
        if threads is not None:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit is not None:
            self.con.execute("SET memory_limit = ?", [memory_limit])
        self.records = 0

    def _create_tables(self) -> None:
        for name, schema in schemas(self.book).items():
            self.con.register("_empty", schema.empty_table())
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _empty')
            self.con.unregister("_empty")

    def _append(self, name: str, table: pa.Table) -> None:
        if name.startswith("rec_"):
            self.records += table.num_rows
        self.con.register("_batch", table)
        self.con.execute(f'INSERT INTO "{name}" SELECT * FROM _batch')
        self.con.unregister("_batch")

    def load_facts(self, facts: MemoryFacts) -> DuckDBBackend:
        self._create_tables()
        facts_tables(self.book, facts, self._append)
        return self

    def load_store(self, db: Connection) -> DuckDBBackend:
        """Stream the store's subjects, relations and records into DuckDB tables."""
        self._create_tables()
        store_tables(db, self.book, self._append)
        return self

    def read_parquet(self, folder: Path) -> DuckDBBackend:
        """Views over Parquet input (``<folder>/<table>/*.parquet``), nothing loaded."""
        for name in schemas(self.book):
            files = Path(folder) / name
            if not files.is_dir():
                raise FileNotFoundError(f"no Parquet input for table {name}: {files} is missing")
            pattern = str(files / "*.parquet").replace("'", "''")
            self.con.execute(
                f"CREATE OR REPLACE VIEW \"{name}\" AS SELECT * FROM read_parquet('{pattern}')"
            )
        self.records = 0
        for name in schemas(self.book):
            if name.startswith("rec_"):
                counted = self.con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
                self.records += int(counted[0]) if counted else 0
        return self

    def view(self, name: str, sql: str) -> None:
        """Build a table of the plan (materialised: DuckDB spills it to disk when needed)."""
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')

    def arrow(self, sql: str) -> pa.Table:
        """The result as an Arrow table."""
        result = self.con.execute(sql).arrow()  # a reader since DuckDB 1.4, a table before
        return result.read_all() if isinstance(result, pa.RecordBatchReader) else result

    def lazy_view(self, name: str, sql: str) -> None:
        """A view of the plan, computed where it is read."""
        self.con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}')

    def columns(self, sql: str) -> dict[str, list[Any]]:
        """The result column by column (through Arrow: no Python row tuples)."""
        table = self.arrow(sql)
        named = zip(table.column_names, table.columns, strict=True)
        return {name: column.to_pylist() for name, column in named}

    def rows(self, sql: str) -> list[dict[str, Any]]:
        found = self.columns(sql)
        return [dict(zip(found, row, strict=True)) for row in zip(*found.values(), strict=True)]

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def run(self, as_of: dt.date) -> BatchOutput:
        """The run's output as the reference engine's objects (for the differential tests)."""
        output = run_plan(self, self.book, as_of)
        return objects_of(self, self.book, output, as_of, output.entries)

    def close(self) -> None:
        self.con.close()
