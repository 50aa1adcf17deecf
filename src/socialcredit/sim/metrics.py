"""The day's figures from the engine's changes: list sizes and flows, measures by domain,
collateral reach, wrongful measures, and days from performance to lifting.

Stocks are kept up to date from each change (old standing out, new standing in); flows are
the entries that appear and disappear. ``conservation_holds`` checks, list by list, that
the entries counted afresh in the tracker's standings at the start of the reported period
(after any warm-up), plus the entries in, minus the entries out, give the entries counted
afresh at the end, and that the running stock agrees with that count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from socialcredit.core.pack.model import Rulebook
from socialcredit.sim.conduct import Journal
from socialcredit.sim.tracker import Change, Standing


def book_domains(book: Rulebook) -> list[str]:
    return sorted({m.domain or "none" for memo in book.memoranda for m in memo.spec.measures})


@dataclass
class Stocks:
    """Running totals over all standings."""

    listed: Counter[str] = field(default_factory=Counter)
    entered: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)
    measures: Counter[str] = field(default_factory=Counter)
    under_measures: set[str] = field(default_factory=set)
    collateral: set[str] = field(default_factory=set)
    wrongful_measures: int = 0
    wrongfully_affected: set[str] = field(default_factory=set)
    lifting_days: dict[str, list[int]] = field(default_factory=dict)  # by list

    opening: Counter[str] = field(default_factory=Counter)  # listed when the period opens

    def open_period(self, recounted: Mapping[str, int]) -> None:
        """Start the reported period: the entries counted afresh now are its opening stock;
        flows and lifting days count from here."""
        self.opening = Counter({x: n for x, n in recounted.items() if n})
        self.entered.clear()
        self.left.clear()
        self.lifting_days.clear()

    def conservation_holds(self, recounted: Mapping[str, int]) -> bool:
        """Opening + in - out = ``recounted`` (the entries counted afresh at the end) for
        every list, and the running stock agrees with the recount."""
        lists = set(self.opening) | set(self.entered) | set(self.left) | set(self.listed)
        lists |= set(recounted)
        return all(
            self.opening[x] + self.entered[x] - self.left[x]
            == recounted.get(x, 0)
            == self.listed[x]
            for x in lists
        )


def recount(standings: Iterable[Standing]) -> Counter[str]:
    """Entries in force per list, counted afresh from subjects' standings."""
    return Counter(list_id for standing in standings for list_id, _ in standing.entries)


class Metrics:
    """Turns the engine's daily changes into one row of figures per day."""

    def __init__(self, book: Rulebook, journal: Journal) -> None:
        self.lists = sorted(book.lists)
        self.domains = book_domains(book)
        self.journal = journal
        self.stocks = Stocks()

    def columns(self) -> list[str]:
        per_list = [f"{kind}:{x}" for x in self.lists for kind in ("listed", "in", "out")]
        per_domain = [f"measures:{d}" for d in self.domains]
        return [
            "day",
            *per_list,
            *per_domain,
            "subjects_under_measures",
            "collateral_persons",
            "wrongful_measures",
            "wrongfully_affected_subjects",
            "lifted_after_performance",
            "lifting_days_total",
        ]

    def day(self, day: dt.date, changes: list[Change]) -> dict[str, object]:
        """Apply the day's changes and return the day's row (without purchases)."""
        flows_in: Counter[str] = Counter()
        flows_out: Counter[str] = Counter()
        lifted: list[int] = []
        for change in changes:
            lifted += self._apply(change, day, flows_in, flows_out)
        row: dict[str, object] = {"day": day.isoformat()}
        for x in self.lists:
            row[f"listed:{x}"] = self.stocks.listed[x]
            row[f"in:{x}"] = flows_in[x]
            row[f"out:{x}"] = flows_out[x]
        for d in self.domains:
            row[f"measures:{d}"] = self.stocks.measures[d]
        row["subjects_under_measures"] = len(self.stocks.under_measures)
        row["collateral_persons"] = len(self.stocks.collateral)
        row["wrongful_measures"] = self.stocks.wrongful_measures
        row["wrongfully_affected_subjects"] = len(self.stocks.wrongfully_affected)
        row["lifted_after_performance"] = len(lifted)
        row["lifting_days_total"] = sum(lifted)
        return row

    def _apply(
        self, change: Change, day: dt.date, flows_in: Counter[str], flows_out: Counter[str]
    ) -> list[int]:
        """Count the change's flows and stocks; return the days from performance to lifting
        of the entries it ends."""
        before, after = change.before, change.after
        old_entries = before.entries if before else frozenset()
        lifted = []
        for list_id, _record in sorted(after.entries - old_entries):
            flows_in[list_id] += 1
            self.stocks.entered[list_id] += 1
            self.stocks.listed[list_id] += 1
        for list_id, record_id in sorted(old_entries - after.entries):
            flows_out[list_id] += 1
            self.stocks.left[list_id] += 1
            self.stocks.listed[list_id] -= 1
            performed = self.journal.performed_on.get(record_id)
            if performed is not None and performed <= day:
                lifted.append((day - performed).days)
                self.stocks.lifting_days.setdefault(list_id, []).append(lifted[-1])
        if before is not None:
            self._count(change.subject, before, -1)
        self._count(change.subject, after, +1)
        return lifted

    def _count(self, subject: str, standing: Standing, sign: int) -> None:
        stocks = self.stocks
        for domain in standing.measures.values():
            stocks.measures[domain or "none"] += sign
        wrongful = sum(
            1 for key in standing.measures if not self.journal.wrongful.isdisjoint(key[3])
        )
        stocks.wrongful_measures += sign * wrongful
        affected = {
            "under": bool(standing.measures),
            "collateral": any(key[4] for key in standing.measures),
            "wrongful": wrongful > 0,
        }
        for name, target in (
            ("under", stocks.under_measures),
            ("collateral", stocks.collateral),
            ("wrongful", stocks.wrongfully_affected),
        ):
            if affected[name] and sign > 0:
                target.add(subject)
            elif affected[name]:
                target.discard(subject)
