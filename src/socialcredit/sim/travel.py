"""Ticket purchases: persons under some measure try to buy flight and G-train tickets at the
documented rates, and the engine decides each attempt (``Engine.decision_from`` on the
subject's current state). Persons under no measure are allowed by construction, so their
attempts are not drawn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from socialcredit.core.engine import Engine
from socialcredit.sim.conduct import DAYS_A_YEAR, poisson
from socialcredit.sim.tracker import Tracker

FLIGHT = "buy_flight_ticket"
RAIL = "buy_g_train_ticket"
BLOCKING = frozenset({"deny", "restrict"})
ATTEMPT_CEILING = 2.0  # candidate attempts per person and year (see purchases)


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
    tracker: Tracker,
    rngs: tuple[random.Random, random.Random],
    flight_rate: float,
    rail_rate: float,
) -> Purchases:
    """The day's attempts by persons under a measure, and how many the engine blocks.

    For each action, from its own random stream, a Poisson number of attempts with mean
    (persons under a measure) x rate / 365, each by one of those persons drawn uniformly;
    drawn by thinning candidates at ATTEMPT_CEILING, so that a lower rate only removes
    attempts (calibration compares runs that differ in the rate)."""
    buyers = tracker.buyers
    counts = []
    for action, rate, rng in ((FLIGHT, flight_rate, rngs[0]), (RAIL, rail_rate, rngs[1])):
        ceiling = max(ATTEMPT_CEILING, rate)
        candidates = poisson(rng, len(buyers) * ceiling / DAYS_A_YEAR) if buyers else 0
        attempts = blocked = 0
        for _ in range(candidates):
            buyer = buyers[rng.randrange(len(buyers))]
            if rng.random() < rate / ceiling:
                attempts += 1
                state = tracker.standings[buyer].state
                blocked += engine.decision_from(state, action).effect in BLOCKING
        counts += [attempts, blocked]
    return Purchases(*counts)
