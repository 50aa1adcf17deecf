"""The effective-dated decision index: build, look up, update incrementally.

See docs/decision-index.md.
"""

from socialcredit.index.answers import BatchAnswer, IndexDecision
from socialcredit.index.asof import UntrackedDateUse
from socialcredit.index.decisions import DecisionIndex

__all__ = ["BatchAnswer", "DecisionIndex", "IndexDecision", "UntrackedDateUse"]
