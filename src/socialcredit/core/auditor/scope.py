"""What of a pack is in force on the audit date, and what conduct triggers each memorandum."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socialcredit.core.pack.model import ListRule, MemorandumRule, Pack, RatingRule, Rulebook
from socialcredit.core.pack.schema import Measure


@dataclass(frozen=True)
class MeasureItem:
    """One measure of one memorandum, as the auditor looks at it."""

    memo: MemorandumRule
    measure: Measure

    @property
    def key(self) -> str:
        return f"{self.memo.memorandum_id}/{self.measure.id}"

    @property
    def pack(self) -> Pack:
        return self.memo.pack

    @property
    def trigger_name(self) -> str:
        """The list, or the rating and grades, that set the measure off."""
        trigger = self.memo.spec.trigger
        if trigger.list_id is not None:
            return trigger.list_id
        return f"{trigger.rating} grade {', '.join(trigger.grades)}"


def in_force(measure: Measure, day: dt.date) -> bool:
    """Whether the measure's own dates (if any) cover ``day``."""
    started = measure.in_force is None or measure.in_force <= day
    return started and (measure.until is None or day < measure.until)


def book_measures(book: Rulebook, day: dt.date) -> list[MeasureItem]:
    """Every measure of every loaded pack in force on ``day``."""
    return [
        MeasureItem(memo, measure)
        for memo in book.memoranda
        if memo.spec.in_force_on(day)
        for measure in memo.spec.measures
        if in_force(measure, day)
    ]


def pack_measures(book: Rulebook, pack: Pack, day: dt.date) -> list[MeasureItem]:
    """The measures the pack itself defines, in force on ``day``."""
    return [m for m in book_measures(book, day) if m.pack.id == pack.id]


def pack_lists(book: Rulebook, pack: Pack, day: dt.date) -> list[ListRule]:
    """The version in force on ``day`` of each list the pack defines."""
    found = [book.list_rule_for(list_id, day) for list_id in pack.spec.lists]
    return [rule for rule in found if rule is not None]


def pack_ratings(book: Rulebook, pack: Pack, day: dt.date) -> list[RatingRule]:
    """The version in force on ``day`` of each rating the pack defines."""
    found = [book.rating_rule_on(rating_id, day) for rating_id in pack.spec.ratings]
    return [rule for rule in found if rule is not None]


def rating_categories(rule: RatingRule) -> list[str]:
    """The categories whose records move a rating (contributions, direct grades, caps)."""
    pers = [p for _, p, _ in rule.contributions] + [p for _, p in rule.direct]
    pers += [p for _, p in rule.caps]
    return list(dict.fromkeys(p.category for p in pers))


def trigger_conduct(book: Rulebook, memo: MemorandumRule, day: dt.date) -> list[tuple[str, str]]:
    """(category, domain) of the conduct that triggers the memorandum on ``day``."""
    trigger = memo.spec.trigger
    if trigger.list_id is not None:
        rule = book.list_rule_for(trigger.list_id, day)
        rules = [rule] if rule is not None else book.lists[trigger.list_id]
        categories = list(dict.fromkeys(r.category for r in rules))
    else:
        assert trigger.rating is not None
        rating = book.rating_rule_on(trigger.rating, day) or book.ratings[trigger.rating][-1]
        categories = rating_categories(rating)
    return [(c, book.categories[c][1].domain) for c in categories]
