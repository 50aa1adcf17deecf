"""The Spark backend: the same plan written in the Spark SQL dialect, run by PySpark on
``local[*]`` or a cluster (``master``). Input comes from Parquet on storage every executor can
read, or, for small runs, from the store streamed through the driver in Arrow batches.
Needs the ``spark`` extra (PySpark) and Java 17.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection

from socialcredit.batch.inputs import facts_tables, schemas, store_tables
from socialcredit.batch.objects import BatchOutput, objects_of
from socialcredit.batch.results import run_plan
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook

_SESSIONS: dict[str, Any] = {}


def session(master: str = "local[*]") -> Any:
    """One Spark session per master and process (starting one takes seconds)."""
    if master not in _SESSIONS:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master).appName("socialcredit-label")
        builder = builder.config("spark.sql.session.timeZone", "UTC")
        builder = builder.config("spark.sql.shuffle.partitions", "8")
        builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        builder = builder.config("spark.ui.enabled", "false")
        _SESSIONS[master] = builder.getOrCreate()
    return _SESSIONS[master]


class SparkBackend:
    """The input tables of a rulebook as Spark temporary views."""

    dialect = "spark"

    def __init__(self, book: Rulebook, master: str = "local[*]") -> None:
        self.book, self.spark, self.records = book, session(master), 0
        self._batches: dict[str, list[pa.Table]] = {}

    def _append(self, name: str, table: pa.Table) -> None:
        if name.startswith("rec_"):
            self.records += table.num_rows
        self._batches.setdefault(name, []).append(table)

    def _publish(self) -> None:
        for name, schema in schemas(self.book).items():
            table: pa.Table = pa.concat_tables(self._batches.pop(name, [schema.empty_table()]))
            self.register(name, table)

    def load_facts(self, facts: MemoryFacts) -> SparkBackend:
        facts_tables(self.book, facts, self._append)
        self._publish()
        return self

    def load_store(self, db: Connection) -> SparkBackend:
        """The store through the driver: for small runs; use Parquet input on a cluster."""
        store_tables(db, self.book, self._append)
        self._publish()
        return self

    def read_parquet(self, folder: Path) -> SparkBackend:
        """Temporary views over Parquet input (``<folder>/<table>/*.parquet``)."""
        for name in schemas(self.book):
            frame = self.spark.read.parquet(str(Path(folder) / name))
            frame.createOrReplaceTempView(name)
            if name.startswith("rec_"):
                self.records += frame.count()
        return self

    def view(self, name: str, sql: str) -> None:
        """Build a table of the plan, materialised (as DuckDB's): later queries read it
        instead of planning its whole lineage again (the ``after_band`` chain is deep)."""
        frame = self.spark.sql(sql).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)

    def lazy_view(self, name: str, sql: str) -> None:
        """A view of the plan, computed where it is read (no checkpoint)."""
        self.spark.sql(sql).createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.spark.sql(sql).collect()]

    def columns(self, sql: str) -> dict[str, list[Any]]:
        frame = self.spark.sql(sql)
        collected = frame.collect()
        return {name: [row[name] for row in collected] for name in frame.columns}

    def arrow(self, sql: str) -> pa.Table:
        """The result as Arrow, collected by Spark in Arrow batches (``toArrow``, PySpark 4)."""
        table: pa.Table = self.spark.sql(sql).toArrow()
        return table

    def register(self, name: str, table: pa.Table) -> None:
        rows = [tuple(row.values()) for row in table.to_pylist()]
        frame = self.spark.createDataFrame(rows, schema=_spark_schema(table.schema))
        frame.createOrReplaceTempView(name)

    def run(self, as_of: dt.date) -> BatchOutput:
        """The run's output as the reference engine's objects (for the differential tests)."""
        output = run_plan(self, self.book, as_of)
        return objects_of(self, self.book, output, as_of, output.entries)


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types as T

    kinds = {
        pa.string(): T.StringType(),
        pa.int64(): T.LongType(),
        pa.float64(): T.DoubleType(),
        pa.date32(): T.DateType(),
        pa.bool_(): T.BooleanType(),
    }
    return T.StructType([T.StructField(f.name, kinds[f.type], True) for f in schema])
