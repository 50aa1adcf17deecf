"""Labelling under a governing pack: a run refuses, as of its date, categories and measures
outside the catalogue and penalty list in force, unless told to run anyway (then each
finding is logged with the run's date)."""

from __future__ import annotations

import datetime as dt
import logging

from socialcredit.core.errors import SocialCreditError
from socialcredit.core.governance import CATALOGUE_KINDS, GovernanceFinding, governance_findings
from socialcredit.core.pack.model import Rulebook

log = logging.getLogger(__name__)
SHOWN = 10


class OutsideCatalogue(SocialCreditError):
    """A labelling run refused: the packs gather or apply what the catalogue in force does
    not permit."""

    def __init__(self, as_of: dt.date, findings: list[GovernanceFinding]) -> None:
        lines = [f"  {f.pack}: {f.text} ({f.legal_basis}, {f.confidence})" for f in findings]
        more = [f"  and {len(findings) - SHOWN} more"] if len(findings) > SHOWN else []
        super().__init__(
            f"labelling as of {as_of} refused: {len(findings)} categories or measures are "
            "outside the catalogue or penalty list in force (unload the governing pack, or "
            "run anyway to log them):\n" + "\n".join(lines[:SHOWN] + more)
        )
        self.findings = findings


def catalogue_findings(book: Rulebook, as_of: dt.date) -> list[GovernanceFinding]:
    """The catalogue and penalty-list findings on ``as_of`` (none without a governing pack)."""
    found = [f for f in governance_findings(book, as_of) if f.kind in CATALOGUE_KINDS]
    return sorted(found, key=lambda f: CATALOGUE_KINDS.index(f.kind))  # categories first


def check_catalogue(
    book: Rulebook, as_of: dt.date, run_anyway: bool = False
) -> list[GovernanceFinding]:
    """The catalogue and penalty-list findings on ``as_of``; raise OutsideCatalogue if
    there are any, unless ``run_anyway``, then log each."""
    found = catalogue_findings(book, as_of)
    if found and not run_anyway:
        raise OutsideCatalogue(as_of, found)
    for finding in found:
        log.warning("label run as of %s ran anyway: %s: %s", as_of, finding.pack, finding.text)
    return found
