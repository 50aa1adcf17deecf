"""When a subject's standing can change without a new fact: the days the engine's answer
depends on, so that re-evaluating only then gives the same result as every day.

- the start and end of each entry and of each measure in force (the engine gives them);
- for ratings, the day each record leaves each window (decided_on + window, and the day after);
- for the whole rulebook, every date a version, memorandum, measure or parameter starts or ends.
"""

from __future__ import annotations

import datetime as dt

from socialcredit.core.durations import parse_duration
from socialcredit.core.engine.decide import SubjectState
from socialcredit.core.facts import Record
from socialcredit.core.pack.model import PerRecord, Rulebook
from socialcredit.core.rules.functions import Interval, add_interval

ONE_DAY = dt.timedelta(days=1)


def rulebook_dates(book: Rulebook) -> set[dt.date]:
    """Every date on which some rule of the book comes into or goes out of force."""
    dates: set[dt.date | None] = set()
    for rules in book.lists.values():
        dates |= {d for rule in rules for d in (rule.version.in_force, rule.version.until)}
    for ratings in book.ratings.values():
        dates |= {d for rule in ratings for d in (rule.version.in_force, rule.version.until)}
    for memo in book.memoranda:
        dates |= {memo.spec.in_force, memo.spec.until}
        dates |= {d for m in memo.spec.measures for d in (m.in_force, m.until)}
    for pack in book.packs.values():
        dates |= {d for p in pack.spec.parameters.values() for d in p.values}
    return {d for d in dates if d is not None}


def rating_windows(book: Rulebook) -> dict[str, list[Interval]]:
    """For each record category a rating reads, the windows it is read within."""
    windows: dict[str, set[str]] = {}
    for rules in book.ratings.values():
        for rule in rules:
            default = rule.version.window
            parts: list[tuple[object, PerRecord]] = [(c, p) for c, p, _ in rule.contributions]
            parts += [*rule.direct, *rule.caps, *rule.eligible]
            for spec, per in parts:
                window = getattr(spec, "window", None) or default
                if window:
                    windows.setdefault(per.category, set()).add(window)
    return {c: [parse_duration(w) for w in sorted(ws)] for c, ws in windows.items()}


def next_change(
    state: SubjectState,
    records: list[Record],
    windows: dict[str, list[Interval]],
    day: dt.date,
) -> dt.date | None:
    """The first day after ``day`` on which the subject's standing may change by itself."""
    candidates: list[dt.date] = []
    for entry in state.entries:
        candidates += [d for d in (entry.starts, entry.ends) if d is not None]
    for applied in state.measures:
        candidates += [d for d in (applied.starts, applied.ends) if d is not None]
    for record in records:
        for window in windows.get(record.category, ()):
            leaves = add_interval(record.decided_on, window)
            candidates += [leaves, leaves + ONE_DAY]
    later = [d for d in candidates if d > day]
    return min(later) if later else None
