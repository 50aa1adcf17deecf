"""Ticket purchases: persons under some measure try to buy flight and G-train tickets at the
documented rates, and the engine decides each attempt (``Engine.decision_from`` on the
subject's current state). Persons under no measure are allowed by construction, so their
attempts are not drawn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from socialcredit.core.engine import Engine
from socialcredit.core.facts import MemoryFacts
from socialcredit.sim.conduct import DAYS_A_YEAR
from socialcredit.sim.tracker import Standing

FLIGHT = "buy_flight_ticket"
RAIL = "buy_g_train_ticket"
BLOCKING = frozenset({"deny", "restrict"})


@dataclass(frozen=True)
class Purchases:
    flight_attempts: int
    flights_blocked: int
    rail_attempts: int
    rail_blocked: int

    def as_row(self) -> dict[str, object]:
        return {
            "flight_attempts": self.flight_attempts,
            "flights_blocked": self.flights_blocked,
            "rail_attempts": self.rail_attempts,
            "rail_blocked": self.rail_blocked,
        }


PURCHASE_COLUMNS = ["flight_attempts", "flights_blocked", "rail_attempts", "rail_blocked"]


def purchases(
    engine: Engine,
    facts: MemoryFacts,
    standings: dict[str, Standing],
    rng: random.Random,
    flight_rate: float,
    rail_rate: float,
) -> Purchases:
    """The day's attempts by persons under a measure, and how many the engine blocks."""
    counts = [0, 0, 0, 0]
    for subject in sorted(standings):
        standing = standings[subject]
        if standing.measures and facts.subject(subject).kind == "person":
            for index, (action, rate) in enumerate(((FLIGHT, flight_rate), (RAIL, rail_rate))):
                if rng.random() < rate / DAYS_A_YEAR:
                    counts[2 * index] += 1
                    effect = engine.decision_from(standing.state, action).effect
                    counts[2 * index + 1] += effect in BLOCKING
    return Purchases(*counts)
