"""The schema is written twice, in store/tables.py and in the Alembic migrations: the
migrations must produce exactly the tables (Alembic's autogenerate comparison finds nothing),
on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, Table

from socialcredit.store import tables as t


def differences(engine: Engine, metadata: MetaData) -> list[Any]:
    with engine.connect() as db:
        context = MigrationContext.configure(
            db, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_the_migrations_make_exactly_the_tables(store: Engine) -> None:
    found = differences(store, t.metadata)
    assert found == [], f"store/tables.py and the migrations differ: {found}"


def test_the_comparison_finds_a_table_the_migrations_lack(store: Engine) -> None:
    extended = MetaData()
    for table in t.metadata.tables.values():
        table.to_metadata(extended)
    Table("not_migrated", extended, Column("id", Integer, primary_key=True))
    assert [d[0] for d in differences(store, extended)] == ["add_table"]
