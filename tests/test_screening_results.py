"""The console's kept screening results: only the session that screened fetches one, a
session keeps its latest few, the shelf holds a bounded number, and age forgets them."""

from __future__ import annotations

import datetime as dt

from socialcredit.services.screening.screen import ScreeningReport
from socialcredit.web.screening_results import ResultShelf


def report(day: int) -> ScreeningReport:
    return ScreeningReport(dt.date(2025, 12, day), None, [], 0, [], {}, False)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_only_the_session_that_screened_fetches_its_result() -> None:
    shelf = ResultShelf()
    token = shelf.keep("session-a", report(1))
    assert shelf.fetch("session-a", token) == report(1)
    assert shelf.fetch("session-b", token) is None
    assert shelf.fetch("session-a", "never-issued") is None


def test_a_session_keeps_its_latest_few_and_the_shelf_a_bounded_number() -> None:
    shelf = ResultShelf(per_session=2, total=3)
    first, second, third = (shelf.keep("a", report(day)) for day in (1, 2, 3))
    assert shelf.fetch("a", first) is None
    assert shelf.fetch("a", second) == report(2) and shelf.fetch("a", third) == report(3)
    others = [shelf.keep(session, report(4)) for session in ("b", "c")]
    assert len(shelf) == 3 and shelf.fetch("a", second) is None  # the oldest went first
    assert all(shelf.fetch(s, t) is not None for s, t in zip(("b", "c"), others, strict=True))


def test_a_result_is_forgotten_after_its_age() -> None:
    clock = Clock()
    shelf = ResultShelf(max_age=900, clock=clock)
    early = shelf.keep("a", report(1))
    clock.now = 600
    late = shelf.keep("a", report(2))
    clock.now = 901
    assert shelf.fetch("a", early) is None and shelf.fetch("a", late) == report(2)
    clock.now = 1501
    assert shelf.fetch("a", late) is None and len(shelf) == 0
