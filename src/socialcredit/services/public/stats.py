"""Figures for the portal's dashboard, as far as a caller may see the data behind them:
list sizes over time, entries started and ended per year (inflow and outflow), and the
measures in force by implementing agency and by domain, and the deletions that came after
their statutory deadline."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.core.access import Principal
from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import may_read, record_condition
from socialcredit.services.context import Context
from socialcredit.services.lists.deletions import count_late_deletions
from socialcredit.services.lists.query import latest_run
from socialcredit.services.records.facts import load_all
from socialcredit.store import tables as t

Span = tuple[str, dt.date, dt.date | None]  # list, starts, ends


@dataclass
class Dashboard:
    """The figures of one label run (``run`` None: nothing labelled yet)."""

    run: dict[str, object] | None
    as_of: dt.date | None
    dates: list[dt.date] = field(default_factory=list)
    sizes: dict[str, list[int]] = field(default_factory=dict)  # list -> count per date
    flows: list[tuple[int, int, int]] = field(default_factory=list)  # year, started, ended
    by_agency: Counter[str] = field(default_factory=Counter)
    by_domain: Counter[str] = field(default_factory=Counter)
    deletions: dict[str, Any] = field(default_factory=dict)  # count_late_deletions, no rows


def dashboard(db: Connection, book: Rulebook, caller: Principal) -> Dashboard:
    """The figures of the latest label run, on its date, as the caller may see them."""
    run = latest_run(db)
    if run is None:
        return Dashboard(None, None)
    as_of = dt.date.fromisoformat(str(run["as_of"]))
    spans = _spans(db, book, caller, int(str(run["id"])))
    dates = _sample_dates(spans, as_of)
    result = Dashboard(run, as_of, dates, _sizes(spans, dates), _flows(spans, as_of))
    _measures(db, book, caller, as_of, result)
    result.deletions = count_late_deletions(db, book, caller, as_of, worst=0)
    return result


def _spans(db: Connection, book: Rulebook, caller: Principal, run_id: int) -> list[Span]:
    e = t.list_entries
    query = (
        select(e.c.list_id, e.c.starts, e.c.ends)
        .select_from(e.join(t.records, t.records.c.id == e.c.record_id))
        .where(e.c.run_id == run_id)
    )
    condition = record_condition(book, caller, e.c.subject_id)
    if condition is not None:
        query = query.where(condition)
    return [(row.list_id, row.starts, row.ends) for row in db.execute(query)]


def _sample_dates(spans: list[Span], as_of: dt.date) -> list[dt.date]:
    """The last day of every year from the first entry's to the run's, then the run's date."""
    first = min((starts.year for _, starts, _ in spans), default=as_of.year)
    dates = [dt.date(year, 12, 31) for year in range(first, as_of.year)]
    return [*dates, as_of]


def _active(starts: dt.date, ends: dt.date | None, day: dt.date) -> bool:
    return starts <= day and (ends is None or day < ends)


def _sizes(spans: list[Span], dates: list[dt.date]) -> dict[str, list[int]]:
    sizes: dict[str, list[int]] = {}
    for list_id in sorted({span[0] for span in spans}):
        mine = [(s, e) for lid, s, e in spans if lid == list_id]
        sizes[list_id] = [sum(_active(s, e, day) for s, e in mine) for day in dates]
    return sizes


def _flows(spans: list[Span], as_of: dt.date) -> list[tuple[int, int, int]]:
    started = Counter(s.year for _, s, _ in spans if s <= as_of)
    ended = Counter(e.year for _, _, e in spans if e is not None and e <= as_of)
    years = sorted(set(started) | set(ended))
    return [(year, started[year], ended[year]) for year in years]


def _measures(
    db: Connection, book: Rulebook, caller: Principal, as_of: dt.date, result: Dashboard
) -> None:
    """Measures in force on ``as_of`` that follow a list entry whose record the caller may
    read (grades are not shown to the public, so measures that follow one are not counted)."""
    facts = load_all(db, book)
    engine = RuleEngine(book)
    for subject_id in sorted(set(facts.records) | set(facts.relations)):
        for applied in engine.state(facts, subject_id, as_of).measures:
            trigger = applied.trigger
            if not isinstance(trigger, Entry):
                continue
            record = trigger.record
            if may_read(book, caller, record.category, record.subject):
                result.by_agency[applied.measure.agency] += 1
                result.by_domain[applied.measure.domain] += 1


def latest_run_id(ctx: Context) -> int | None:
    """The id of the latest label run (None: nothing labelled yet)."""
    with ctx.engine.connect() as db:
        run = latest_run(db)
    return int(run["id"]) if run else None


def public_dashboard(ctx: Context, caller: Principal) -> Dashboard:
    """The use case "the dashboard": ``dashboard`` in a connection of its own."""
    with ctx.engine.connect() as db:
        return dashboard(db, ctx.book, caller)
