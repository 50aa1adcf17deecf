"""A small labelled nation whose every record carries a marker of its disclosure class, served
on loopback, with a key of every role: the store of the exposure tests (issue 13 item 1: no
unmasked identity number in any public answer; the role x operation x class test).

Every record's document number is rewritten in the agency feeds before ingest to
``MK<class><n>`` (``MKpublic00012``, ``MKrestricted00345``), so that an answer can be
scanned for data of a class its caller may not read. The nation has public and restricted
categories; a few ``edes.exclusion`` records (shared) are added for some of its companies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyarrow.parquet as pq
from sqlalchemy import Engine, text

from socialcredit.core.pack.model import Rulebook
from socialcredit.io.csv_out import CsvWriter
from socialcredit.services.access.keys import create_key
from socialcredit.services.access.visibility import disclosure_of
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation
from tests.api_server import serve

AS_OF = dt.date(2025, 12, 31)
MARKER = re.compile(r"MK(public|shared|restricted)\d{5}")


@dataclass
class Marked:
    """The served store: its URL and engine, each marker's class and subject, keys by role."""

    url: str
    engine: Engine
    book: Rulebook
    markers: dict[str, tuple[str, str]]  # marker -> (disclosure class, subject)
    keys: dict[str, str | None] = field(default_factory=dict)
    subject: str = ""  # the subject of the "subject" key
    values: dict[str, list[Any]] = field(default_factory=dict)  # path parameter -> values

    def client(self, role: str) -> httpx.Client:
        key = self.keys[role]
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


def marked_nation(folder: Path, book: Rulebook) -> Iterator[Marked]:
    """Generate, mark, ingest and label a nation of 150 persons and 40 organisations; serve it."""
    feeds = folder / "feeds"
    generate_nation(feeds, persons=150, orgs=40, seed=7)
    counter = itertools.count(1)
    markers: dict[str, tuple[str, str]] = {}
    url = f"sqlite:///{folder / 'socialcredit.db'}"
    migrate(url)
    engine = connect(url)
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        path = feeds / item["file"]
        _mark(path, book, counter, markers)
        ingest_file(engine, book, path, item["agency"], item.get("category"))
    _add_shared(folder, engine, book, counter, markers)
    label(engine, book, AS_OF)
    for live in serve(engine, book):
        marked = Marked(live.url, engine, book, markers)
        marked.subject = _subject_with_restricted(engine)
        marked.keys = role_keys(engine, marked.subject)
        yield marked
    engine.dispose()


def _mark(
    path: Path, book: Rulebook, counter: Iterator[int], markers: dict[str, tuple[str, str]]
) -> None:
    """Rewrite the document numbers of a feed to markers of their category's class."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return
    given: dict[str, str] = {}  # a later row about the same document keeps its marker
    for row in rows:
        disclosure = disclosure_of(book, row.get("category")) or "restricted"
        original = row["doc_no"]
        if original not in given:
            given[original] = f"MK{disclosure}{next(counter):05d}"
        row["doc_no"] = given[original]
        markers[row["doc_no"]] = (disclosure, row["subject"])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle, list(rows[0]), for_people=False, line_end="\n")
        for row in rows:
            writer.writerow(row.values())


def _add_shared(
    folder: Path,
    engine: Engine,
    book: Rulebook,
    counter: Iterator[int],
    markers: dict[str, tuple[str, str]],
) -> None:
    """An EDES exclusion (a shared record of the European Commission) for two companies."""
    with engine.connect() as db:
        query = "SELECT id FROM subjects WHERE kind = 'organisation' ORDER BY id LIMIT 2"
        orgs = [row.id for row in db.execute(text(query))]
    lines = []
    for org in orgs:
        doc = f"MKshared{next(counter):05d}"
        markers[doc] = ("shared", org)
        fields = {
            "ground": "fraud_corruption_or_serious_crime",
            "final_judgment": False,
            "panel_recommendation_on": "2024-02-01",
            "period_ends": "2028-03-01",
            "published": False,
        }
        record = {"subject": org, "category": "edes.exclusion", "doc_no": doc}
        lines.append(json.dumps({**record, "decided_on": "2024-03-01", "fields": fields}))
    path = folder / "edes.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_file(engine, book, path, "european-commission")
    assert report.count("accepted") == len(orgs), report.as_dict()


def _subject_with_restricted(engine: Engine) -> str:
    """A person with a restricted record and a public one (his key reads both)."""
    query = text(
        "SELECT r.subject_id FROM records r JOIN subjects s ON s.id = r.subject_id "
        "WHERE s.kind = 'person' GROUP BY r.subject_id "
        "HAVING SUM(CASE WHEN r.doc_no LIKE 'MKrestricted%' THEN 1 ELSE 0 END) > 0 "
        "AND SUM(CASE WHEN r.doc_no LIKE 'MKpublic%' THEN 1 ELSE 0 END) > 0 "
        "ORDER BY r.subject_id LIMIT 1"
    )
    with engine.connect() as db:
        return str(db.execute(query).scalar_one())


SCOPES = {"none": [], "public": ["public"], "shared": ["public", "shared"]}
SCOPES["restricted"] = ["public", "shared", "restricted"]


def role_keys(engine: Engine, subject: str) -> dict[str, str | None]:
    """A key per role: the public, an agency key of the tax bureau (whose own records are
    restricted) for each disclosure scope, a subject, an auditor, an administrator; and
    ``anonymous`` (no key)."""
    keys: dict[str, str | None] = {
        "anonymous": None,
        "public": create_key(engine, "public", "exposure public"),
        "subject": create_key(engine, "subject", "exposure subject", subject=subject),
        "auditor": create_key(engine, "auditor", "exposure auditor"),
        "admin": create_key(engine, "admin", "exposure admin"),
    }
    for name, classes in SCOPES.items():
        scopes = {"categories": ["*"], "disclosures": classes, "actions": ["*"]}
        keys[f"sta-{name}"] = create_key(
            engine, "agency", f"tax bureau ({name})", agency="sta", scopes=scopes
        )
    return keys


def may_read(role: str, own: str, disclosure: str, subject: str) -> bool:
    """What each role may read, written out independently of the code under test."""
    if role in ("auditor", "admin"):
        return True
    if role == "subject":
        return subject == own
    if role == "public":
        return disclosure == "public"
    if role.startswith("sta-"):
        return disclosure in SCOPES[role.removeprefix("sta-")]
    return False


def body_text(response: httpx.Response) -> str:
    """The answer as text to scan (a Parquet file as the JSON of its rows)."""
    if response.headers.get("content-type", "").startswith("application/vnd.apache.parquet"):
        table = pq.read_table(io.BytesIO(response.content))
        return json.dumps(table.to_pylist(), default=str, ensure_ascii=False)
    return response.content.decode("utf-8-sig", errors="replace")


def url_path(template: str, values: dict[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]``, quoted."""
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(values[m.group(1)]), safe=""), template)
