"""Durations written in packs as words: ``2 years``, ``6 months``, ``180 days``.

>>> parse_duration("2 years")
Interval(years=2, months=0, days=0)
"""

from __future__ import annotations

import re

from socialcredit.core.rules.functions import Interval

_DURATION = re.compile(r"^\s*(\d+)\s*(year|month|day)s?\s*$")


def parse_duration(text: str) -> Interval:
    """Parse a duration; raise ValueError with the accepted forms."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(
            f"{text!r} is not a duration; write e.g. '2 years', '6 months', '180 days'"
        )
    count, unit = int(match.group(1)), match.group(2)
    return Interval(**{f"{unit}s": count})
