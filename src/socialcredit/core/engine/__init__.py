"""The reference evaluator: list entries, ratings, measures and decisions for one subject."""

from socialcredit.core.engine.decide import EFFECT_ORDER, Decision, Engine, Reason

__all__ = ["EFFECT_ORDER", "Decision", "Engine", "Reason"]
