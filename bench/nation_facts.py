"""Parquet input (``batch/inputs.py`` layout) read back into ``MemoryFacts``, for the
reference engine: small nations only, since it holds everything in Python objects."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

from socialcredit.batch.inputs import schemas
from socialcredit.core.facts import MemoryFacts, Record, Relation, StatusChange, Subject
from socialcredit.core.pack.model import Rulebook

_RECORD_COLUMNS = ("id", "subject", "category", "agency", "doc_no", "decided_on", "ord")


def _rows(con: duckdb.DuckDBPyConnection, folder: Path, table: str, order: str) -> list[Any]:
    files = folder / table / "*.parquet"
    cursor = con.execute(f"SELECT * FROM read_parquet('{files}') ORDER BY {order}")
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_facts(folder: Path, book: Rulebook) -> MemoryFacts:
    """Subjects, records (in ``ord`` order, histories in ``seq`` order) and relations (in
    ``org_ord`` order) of the input under ``folder``."""
    con, facts = duckdb.connect(), MemoryFacts()
    for row in _rows(con, folder, "subjects", "id"):
        facts.add_subject(Subject(**row))
    history: dict[str, list[StatusChange]] = defaultdict(list)
    for row in _rows(con, folder, "record_status", "seq"):
        history[row["record_id"]].append(StatusChange(row["status"], row["date"]))
    records = []
    for table in schemas(book):
        if table.startswith("rec_"):
            records += _rows(con, folder, table, "ord")
    for row in sorted(records, key=lambda r: r["ord"]):
        fields = {k: v for k, v in row.items() if k not in _RECORD_COLUMNS}
        base = [row[c] for c in _RECORD_COLUMNS[:-1]]
        facts.add_record(Record(*base, fields, tuple(history.get(row["id"], ()))))
    for row in _rows(con, folder, "relations", "org_ord"):
        names = ("org_id", "role", "person_id", "since", "until")
        facts.add_relation(Relation(*(row[n] for n in names)))
    con.close()
    return facts
