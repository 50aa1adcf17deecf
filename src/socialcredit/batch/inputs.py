"""The input tables of a plan, built in Arrow record batches of bounded size.

``subjects`` (id, kind, name, birth_date, region); one ``rec_<category>`` table per category
(id, subject, category, agency, doc_no, decided_on, ord, then the category's typed fields);
``record_status`` (record_id, status, date, seq) and ``relations`` (org_id, role, person_id,
since, until, org_ord, person_ord). ``ord`` orders a subject's records, ``seq`` a record's
status changes and ``org_ord``/``person_ord`` an organisation's officers and a person's roles,
as the reference engine sees them. The rows come from facts in memory (tests), from the store
(streamed, never all in memory) or from Parquet files written by ``parquet_sink``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, select

from socialcredit.batch.plan import category_table
from socialcredit.core.facts import MemoryFacts, Subject
from socialcredit.core.pack.model import Rulebook
from socialcredit.store import tables as t

Sink = Callable[[str, pa.Table], None]
BATCH_ROWS = 100_000
_ARROW = {
    "int": pa.int64(),
    "money": pa.float64(),
    "decimal": pa.float64(),
    "date": pa.date32(),
    "bool": pa.bool_(),
}
_RECORD_COLUMNS = ("id", "subject", "category", "agency", "doc_no", "decided_on", "ord")
SUBJECTS = pa.schema(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("birth_date", pa.date32()),
        ("region", pa.string()),
    ]
)
STATUS = pa.schema(
    [
        ("record_id", pa.string()),
        ("status", pa.string()),
        ("date", pa.date32()),
        ("seq", pa.int64()),
    ]
)
RELATIONS = pa.schema(
    [
        ("org_id", pa.string()),
        ("role", pa.string()),
        ("person_id", pa.string()),
        ("since", pa.date32()),
        ("until", pa.date32()),
        ("org_ord", pa.int64()),
        ("person_ord", pa.int64()),
    ]
)


def schemas(book: Rulebook) -> dict[str, pa.Schema]:
    """Every input table's name and Arrow schema."""
    found = {"subjects": SUBJECTS, "record_status": STATUS, "relations": RELATIONS}
    for category, (_, _, types) in book.categories.items():
        clash = sorted(set(types) & {*_RECORD_COLUMNS, "status"})
        if clash:
            raise ValueError(f"category {category}: field(s) {clash} clash with built-in columns")
        columns = [(c, pa.date32() if c == "decided_on" else pa.string()) for c in _RECORD_COLUMNS]
        columns[-1] = ("ord", pa.int64())
        columns += [(name, _ARROW.get(ft.base, pa.string())) for name, ft in types.items()]
        found[category_table(category)] = pa.schema(columns)
    return found


class _Batches:
    """Rows gathered per table and handed to the sink ``BATCH_ROWS`` at a time."""

    def __init__(self, book: Rulebook, sink: Sink, batch_rows: int = BATCH_ROWS) -> None:
        self.schemas, self.sink, self.batch_rows = schemas(book), sink, batch_rows
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self.schemas}

    def add(self, table: str, row: dict[str, Any]) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= self.batch_rows:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows, self.rows[table] = self.rows[table], []
        self.sink(table, pa.Table.from_pylist(rows, schema=self.schemas[table]))

    def close(self) -> None:
        """Flush what is left; every table gets at least one (maybe empty) batch."""
        for table in self.schemas:
            self.flush(table)


def _subject_row(subject: Subject) -> dict[str, Any]:
    return {f: getattr(subject, f) for f in ("id", "kind", "name", "birth_date", "region")}


def facts_tables(book: Rulebook, facts: MemoryFacts, sink: Sink) -> None:
    """The input tables of facts held in memory (scenarios, tests, small runs)."""
    out = _Batches(book, sink)
    ids = {*facts.subjects, *facts.records, *facts.relations, *facts.officers}
    for subject_id in sorted(ids):
        out.add("subjects", _subject_row(facts.subject(subject_id)))
    ord_ = 0
    for records in facts.records.values():
        for record in records:
            if record.category not in book.categories:
                continue
            ord_ += 1
            row = {**record.fields, "ord": ord_, "subject": record.subject}
            row.update(id=record.id, category=record.category, agency=record.agency)
            row.update(doc_no=record.doc_no, decided_on=record.decided_on)
            out.add(category_table(record.category), row)
            for seq, change in enumerate(record.history):
                status = {"status": change.status, "date": change.on, "seq": seq}
                out.add("record_status", {"record_id": record.id, **status})
    positions: dict[tuple[str, str, str, Any, Any], int] = {}
    for person, roles in facts.relations.items():
        for index, relation in enumerate(roles):
            positions[(relation.org, relation.role, person, relation.since, relation.until)] = index
    for org, officers in facts.officers.items():
        for index, r in enumerate(officers):
            key = (org, r.role, r.person, r.since, r.until)
            row = dict(zip(RELATIONS.names, (*key, index, positions.get(key, 0)), strict=True))
            out.add("relations", row)
    out.close()


def store_tables(db: Connection, book: Rulebook, sink: Sink, batch_rows: int = BATCH_ROWS) -> int:
    """The input tables of the store, streamed in batches; returns the number of records."""
    out = _Batches(book, sink, batch_rows)
    known: set[str] = set()
    for row in _stream(db, select(t.subjects), batch_rows):
        known.add(row.id)
        out.add("subjects", dict(row._mapping))
    relations = list(db.execute(select(t.relations).order_by(t.relations.c.id)))
    for ord_, r in enumerate(relations):
        row = {"org_id": r.org_id, "role": r.role, "person_id": r.person_id, "since": r.since}
        out.add("relations", {**row, "until": r.until, "org_ord": ord_, "person_ord": ord_})
        for code in (r.org_id, r.person_id):
            if code not in known:
                known.add(code)
                out.add("subjects", _subject_row(Subject.from_code(code)))
    categories = list(book.categories)
    records = select(t.records).where(t.records.c.category.in_(categories))
    count = 0
    for count, row in enumerate(_stream(db, records, batch_rows), start=1):
        types = book.categories[row.category][2]
        fields = {name: ft.load(row.fields.get(name)) for name, ft in types.items()}
        base = {"id": row.id, "subject": row.subject_id, "category": row.category}
        base.update(agency=row.agency, doc_no=row.doc_no, decided_on=row.decided_on, ord=count)
        out.add(category_table(row.category), {**fields, **base})
    status = (
        select(t.record_status.c.record_id, t.record_status.c.status, t.record_status.c.date)
        .join(t.records)
        .where(t.records.c.category.in_(categories))
        .order_by(t.record_status.c.record_id, t.record_status.c.date, t.record_status.c.id)
    )
    for seq, row in enumerate(_stream(db, status, batch_rows)):
        out.add("record_status", {**row._mapping, "seq": seq})
    out.close()
    return count


def _stream(db: Connection, query: Any, batch_rows: int) -> Iterator[Any]:
    """Rows of a query fetched ``batch_rows`` at a time (a server-side cursor on PostgreSQL)."""
    result = db.execution_options(stream_results=True, yield_per=batch_rows).execute(query)
    yield from result


def parquet_sink(folder: Path) -> Sink:
    """A sink writing input batches as Parquet: ``<folder>/<table>/part-N.parquet``, so that
    ``DuckDBBackend.read_parquet`` and ``SparkBackend.read_parquet`` can read them."""
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}

    def write(name: str, table: pa.Table) -> None:
        directory = Path(folder) / name
        directory.mkdir(parents=True, exist_ok=True)
        index = counts[name] = counts.get(name, -1) + 1
        if table.num_rows or index == 0:
            pq.write_table(table, directory / f"part-{index:05d}.parquet")

    return write
