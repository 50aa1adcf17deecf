"""The market regulator's feed: one registration record per organisation."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import random
from pathlib import Path

from socialcredit.synth import rates
from socialcredit.synth.feeds import REGISTRATION_FIELDS, FeedWriter, RowCounter
from socialcredit.synth.invalid import SUBJECT_KINDS, Corrupter, Row
from socialcredit.synth.orgs import Organisation, Registry

REGISTRATION_FILE = "samr-registration.csv"
AGENCY = "samr"
CATEGORY = "market.registration"


class RegistrationNumbers:
    """Numbers of registration decisions, e.g. ``(京0105)登字[2019]第000123号``."""

    def __init__(self) -> None:
        self._issued = 0

    def next(self, organisation: Organisation) -> str:
        """A new number in the style of the registering authority of the organisation."""
        self._issued += 1
        region = organisation.region
        year = organisation.registered_on.year
        return f"({region.abbreviation}{region.code[2:]})登字[{year}]第{self._issued:06d}号"


def registration_row(organisation: Organisation, doc_no: str) -> Row:
    """The CSV row of an organisation's registration; ``name`` is also the field ``name``."""
    principal, controller = organisation.principal, organisation.actual_controller
    return {
        "subject": organisation.code,
        "name": organisation.name,
        "category": CATEGORY,
        "doc_no": doc_no,
        "decided_on": organisation.registered_on.isoformat(),
        "status": "active",
        "status_date": "",
        "legal_representative": organisation.legal_representative.code,
        "principal": principal.code if principal else "",
        "actual_controller": controller.code if controller else "",
    }


def debtor_indices(registry: Registry, rng: random.Random, end: dt.date) -> set[int]:
    """Indices of the organisations that will have cases: ORG_CASE_SHARE of all, drawn among
    those registered early enough for a case to follow within the period."""
    latest = end - dt.timedelta(days=rates.FIRST_CASE_AFTER_REGISTRATION_DAYS)
    eligible = bisect.bisect_right(range(registry.count), latest, key=registry.registration_day)
    wanted = min(eligible, round(registry.count * rates.ORG_CASE_SHARE))
    return set(rng.sample(range(eligible), wanted))


def write_registration(
    path: Path,
    registry: Registry,
    counter: RowCounter,
    corrupter: Corrupter,
) -> list[Organisation]:
    """Write every organisation's registration; return them all, in registration order."""
    numbers = RegistrationNumbers()
    kept: list[Organisation] = []
    with FeedWriter(path, REGISTRATION_FIELDS, SUBJECT_KINDS, counter, corrupter) as feed:
        for index in range(registry.count):
            organisation = registry.organisation(index)
            kept.append(organisation)
            feed.write(
                registration_row(organisation, numbers.next(organisation)),
                functools.partial(numbers.next, organisation),
            )
    return kept
