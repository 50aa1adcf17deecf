"""A token bucket per client address, in the process: how often the public may search.

Each address holds up to ``capacity`` tokens, refilled at ``capacity / period`` per second;
a search takes one. An empty bucket answers how long to wait for the next token (the
``Retry-After`` of a 429). The rate comes from ``settings.search_rate``
(``SOCIALCREDIT_SEARCH_RATE``, e.g. ``30/60``: 30 searches a minute, in bursts of up to 30).
Each process counts on its own, so with N workers an address may make up to N times the
rate; that bounds enumeration well enough for a portal, and needs no shared store.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBuckets:
    """``take(address)``: None when the address may go on, else the seconds to wait."""

    capacity: int
    period: float
    clock: Callable[[], float] = time.monotonic
    max_addresses: int = 100_000  # beyond this, buckets that have refilled are forgotten
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, address: str) -> int | None:
        """Take a token for ``address``; None if there was one, else whole seconds to wait."""
        rate = self.capacity / self.period
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(address, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[address] = (tokens - 1, now)
                self._forget_full(now, rate)
                return None
            self._buckets[address] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / rate))

    def _forget_full(self, now: float, rate: float) -> None:
        """Bound the memory: drop the buckets that have filled up again (they hold nothing);
        if that is not enough (a flood from very many addresses), start afresh."""
        if len(self._buckets) <= self.max_addresses:
            return
        self._buckets = {
            address: (tokens, last)
            for address, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * rate < self.capacity
        }
        if len(self._buckets) > self.max_addresses:
            self._buckets = {}
