"""A live portal for the portal tests: a small demo nation built once per test session (per
xdist worker), served on loopback by uvicorn, with a court's key, the key of a listed person
and the ids of subjects the tests look at. No mocks: the real CLI builds the store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from socialcredit.cli.main import app as cli
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.keys import create_key
from socialcredit.store.database import connect
from tests.api_server import serve

DEMO_AS_OF = "2025-12-31"
COURT_SCOPES = {
    "categories": ["court.enforcement_case", "court.consumption_restriction_order"],
    "disclosures": ["public", "shared"],
    "actions": ["*"],
}
RESTRICTED = ("rongcheng.finding", "rongcheng.consent", "sta.credit_deduction")


@dataclass
class Site:
    url: str
    engine: Engine
    agency_key: str
    subject_key: str
    listed: str  # a person on the dishonest debtor list on DEMO_AS_OF, with the subject key
    listed_name: str
    hidden: str  # a person with restricted records only
    hidden_name: str
    objector_key: str  # the key of another listed person, for the objection round trip

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=True)

    def sign_in(self, client: httpx.Client, key: str) -> httpx.Response:
        """Sign in through the form, as a browser does (form token and cookie)."""
        form = client.get("/signin")
        token = re.search(r'name="token" value="([^"]+)"', form.text)
        assert token is not None
        return client.post("/signin", data={"key": key, "token": token.group(1)})


def build_demo(folder: Path) -> Engine:
    """``socialcredit demo --no-serve`` on a small nation, in ``folder``."""
    result = CliRunner().invoke(
        cli, ["demo", "--no-serve", "--persons", "300", "--orgs", "60", "--dir", str(folder)]
    )
    assert result.exit_code == 0, result.output
    return connect(f"sqlite:///{folder / 'socialcredit.db'}")


def _listed(engine: Engine, offset: int = 0) -> tuple[str, str]:
    query = text(
        "SELECT s.id, s.name FROM list_entries e JOIN subjects s ON s.id = e.subject_id "
        "WHERE e.list_id = 'dishonest-judgment-debtors' AND s.kind = 'person' "
        "AND e.starts <= :day AND (e.ends IS NULL OR e.ends > :day) "
        "ORDER BY s.id LIMIT 1 OFFSET :offset"
    )
    day = dt.date.fromisoformat(DEMO_AS_OF)
    with engine.connect() as db:
        row = db.execute(query, {"day": day, "offset": offset}).one()
    return str(row.id), str(row.name)


def _hidden(engine: Engine) -> tuple[str, str]:
    marks = ", ".join(f"'{c}'" for c in RESTRICTED)
    query = text(
        "SELECT s.id, s.name FROM subjects s WHERE s.kind = 'person' AND s.name IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id) "
        f"AND NOT EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id "
        f"AND r.category NOT IN ({marks})) ORDER BY s.id LIMIT 1"
    )
    with engine.connect() as db:
        row = db.execute(query).one()
    return str(row.id), str(row.name)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> Iterator[Site]:
    engine = build_demo(tmp_path_factory.mktemp("portal"))
    listed, listed_name = _listed(engine)
    hidden, hidden_name = _hidden(engine)
    agency = create_key(engine, "agency", "portal test court", agency="court", scopes=COURT_SCOPES)
    subject = create_key(engine, "subject", listed_name, subject=listed)
    other, other_name = _listed(engine, offset=1)
    objector = create_key(engine, "subject", other_name, subject=other)
    server = serve(engine, book)
    live = next(server)
    yield Site(
        live.url, engine, agency, subject, listed, listed_name, hidden, hidden_name, objector
    )
    next(server, None)  # stops the server
    engine.dispose()
