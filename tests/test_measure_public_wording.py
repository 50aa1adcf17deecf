"""Public wording of the measures (issue 15, "Public wording"): every measure of the
consumption-restriction and joint-sanction packs tells the public what it means in Chinese
and English, apart from the research notes, and the subject page shows it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.run import label
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_api import submit
from tests.test_ingest import case

PACKS = ("cn-consumption-restrictions", "cn-joint-sanctions")
RESEARCH = re.compile(r"\[[MSV?]\]|scs-facts|facts file|reading|\{")
HAN = re.compile(r"[\u4e00-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
FLIGHTS_2015_ZH = "被执行人（失信被执行人也在内）不得有以下消费：乘坐交通工具时选择飞机"
FLIGHTS_2015_EN = "(every debtor on the list of dishonest judgment debtors is) may not travel"


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


@pytest.mark.parametrize("pack", PACKS)
def test_every_measure_has_plain_public_wording(book: Rulebook, pack: str) -> None:
    memoranda = book.packs[pack].spec.memoranda
    measures = [(memo, m) for memo, spec in memoranda.items() for m in spec.measures]
    assert measures
    for memo, measure in measures:
        where = f"{pack}: {memo}/{measure.id}"
        assert measure.public is not None, where
        assert HAN.search(measure.public.zh) and not HAN.search(measure.public.en), where
        for text in (measure.public.zh, measure.public.en):
            assert not RESEARCH.search(text), where


def test_subject_page_shows_the_measures_public_wording(api: LiveApi, book: Rulebook) -> None:
    submit(api, case(ground="evades"))
    label(api.engine, book, dt.date(2018, 6, 1))
    with httpx.Client(base_url=api.url, timeout=30, follow_redirects=True) as client:
        english = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"}).text
        chinese = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"}, headers=ZH).text
    assert FLIGHTS_2015_EN in english
    assert FLIGHTS_2015_ZH in chinese
