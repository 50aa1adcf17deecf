"""The public cannot enumerate persons (issue 13 item 12): public search finds a person only by
his full name (normalised) or an identifier, organisations by any part of their name, and a
client address searching too often is answered 429 with Retry-After."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from socialcredit.core.access import Principal, mask_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.principals import PORTAL_PUBLIC
from socialcredit.services.context import Context
from socialcredit.services.public.search import search
from socialcredit.services.public.throttle import TokenBuckets
from socialcredit.services.records.ingest import ingest_file
from socialcredit.synth.people import make_ric
from tests.api_server import serve
from tests.conftest import RIC, USCC
from tests.test_ingest import HEADER, case, write

ZHANG_SI = make_ric("110105", dt.date(1985, 3, 4), 11)
COURT = Principal(
    key_id="c", role="agency", name="court", agency="court", disclosures=frozenset({"public"})
)


@pytest.fixture
def ctx(tmp_path: Path, store: Engine, book: Rulebook) -> Context:
    """Two persons named 张三 and 张四 and a company 北京张记科技有限公司, each with a public
    enforcement case."""
    rows = [
        case(subject=RIC, doc="1"),
        case(subject=ZHANG_SI, doc="2").replace(",张三,", ",张四,"),
        case(subject=USCC, doc="3").replace(",张三,", ",北京张记科技有限公司,"),
    ]
    report = ingest_file(store, book, write(tmp_path, "court.csv", HEADER, *rows), "court")
    assert report.count("accepted") == 3, report.as_dict()
    return Context(store, book)


def names(ctx: Context, caller: Principal, query: str) -> list[str | None]:
    return [hit.name for hit in search(ctx, caller, query, 0, 20).hits]


def test_a_surname_lists_no_person_for_the_public(ctx: Context) -> None:
    assert names(ctx, PORTAL_PUBLIC, "张") == ["北京张记科技有限公司"]  # the company only
    assert names(ctx, COURT, "张") == ["北京张记科技有限公司", "张三", "张四"]  # agencies may


@pytest.mark.parametrize("query", ["张三", " 张 三 ", "张三\u3000", "张\u3000三"])
def test_the_public_finds_a_person_by_his_full_name(ctx: Context, query: str) -> None:
    hits = search(ctx, PORTAL_PUBLIC, query, 0, 20).hits
    assert [(h.name, h.shown_id) for h in hits] == [("张三", mask_id(RIC))]


def test_the_public_finds_a_person_by_an_identifier_and_a_company_by_part_of_its_name(
    ctx: Context,
) -> None:
    assert names(ctx, PORTAL_PUBLIC, ZHANG_SI) == ["张四"]
    assert names(ctx, PORTAL_PUBLIC, mask_id(ZHANG_SI)) == ["张四"]  # as the portals show it
    assert names(ctx, PORTAL_PUBLIC, "张记科技") == ["北京张记科技有限公司"]
    assert names(ctx, PORTAL_PUBLIC, "三") == [] and names(ctx, PORTAL_PUBLIC, "张三丰") == []


def test_a_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(2, 60.0, clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a"), buckets.take("b")] == [None, None, None]
    assert buckets.take("a") == 30  # one token every 30 s
    now[0] = 29.0
    assert buckets.take("a") == 1
    now[0] = 30.5
    assert buckets.take("a") is None and buckets.take("a") == 30


def test_the_buckets_forget_addresses_beyond_their_bound() -> None:
    now = [0.0]
    buckets = TokenBuckets(1, 10.0, clock=lambda: now[0], max_addresses=3)
    for address in "abc":
        assert buckets.take(address) is None
    now[0] = 10.0  # a, b and c have refilled: forgotten when d comes
    assert buckets.take("d") is None and len(buckets._buckets) == 1
    assert [buckets.take(a) for a in "efg"] == [None, None, None]  # 4 waiting: start afresh
    assert len(buckets._buckets) == 0 and buckets.take("d") is None


@pytest.fixture
def portal(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("SOCIALCREDIT_SEARCH_RATE", "3/60")
    for live in serve(ctx.engine, ctx.book):
        yield live.url


def test_the_portal_refuses_a_fourth_search_a_minute_with_retry_after(portal: str) -> None:
    with httpx.Client(base_url=portal, timeout=30) as client:
        first = [client.get("/", params={"q": "张"}) for _ in range(3)]
        refused = client.get("/", params={"q": "张三"})
        home = client.get("/")  # a page without a search is not counted
    assert [r.status_code for r in first] == [200, 200, 200]
    results = first[0].text.split("<main")[-1]
    assert "北京张记科技有限公司" in results and "张三" not in results
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 20
    assert "Too many searches" in refused.text and home.status_code == 200


def test_a_bad_rate_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcredit.settings import search_rate

    monkeypatch.setenv("SOCIALCREDIT_SEARCH_RATE", "lots")
    with pytest.raises(ValueError, match="N/SECONDS"):
        search_rate()
