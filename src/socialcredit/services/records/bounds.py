"""Bounds a stored record must keep beyond its catalog types: nothing decided in the future.

A record states a decision already made, so its ``decided_on`` (and the date of any status it
carries) may not come after today. One day of tolerance covers time zones (an agency in
Beijing is up to a day ahead of a server's UTC date); anything later is refused per row.
"""

from __future__ import annotations

import datetime as dt

from socialcredit.core.facts import Record

TOLERANCE = dt.timedelta(days=1)


def latest_day(today: dt.date | None = None) -> dt.date:
    """The last day a record's dates may name: today (UTC) plus the tolerance."""
    return (today or dt.datetime.now(dt.UTC).date()) + TOLERANCE


def future_dates(record: Record, latest: dt.date) -> list[str]:
    """Why the record names a day after ``latest`` (empty when it does not)."""
    reasons = []
    if record.decided_on > latest:
        reasons.append(
            f"decided_on {record.decided_on} is in the future (a record states a decision "
            f"already made; the latest day accepted is {latest})"
        )
    for change in record.history:
        if change.on > latest:
            reasons.append(
                f"status_date {change.on} of status {change.status} is in the future "
                f"(the latest day accepted is {latest})"
            )
    return reasons
