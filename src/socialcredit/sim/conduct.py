"""Conduct and responses, day by day: enforcement cases with consumption-restriction orders,
administrative penalties, performance, revocation, early deletion, credit repair, wrongful
records and the objections that correct them. Every change is a record the engine reads.

Each event draws from its own random stream (named by its kind, day and number), so that a
what-if variant with the same seed lives through the same events, and a change of the case
intensity or of a share only adds, removes or changes the events it concerns.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from socialcredit.core.facts import Record
from socialcredit.sim import records as r
from socialcredit.sim.nation import Nation, stream
from socialcredit.sim.rates import Rates

DAYS_A_YEAR = 365.25
# Case intensities up to this are drawn by thinning one set of candidate cases (see _cases).
CEILING = 4.0


@dataclass
class Journal:
    """What happened to records, for the metrics: wrongful records and performance days."""

    wrongful: set[str] = field(default_factory=set)
    performed_on: dict[str, dt.date] = field(default_factory=dict)
    performances: Counter[str] = field(default_factory=Counter)  # by category
    objections: int = 0


def _child(rng: random.Random) -> random.Random:
    """A stream seeded by one draw of ``rng``, for draws whose number varies."""
    return random.Random(rng.random())


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's product method for small means, normal above 50)."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class Conduct:
    """Draws the day's events into the nation's facts and says which subjects changed."""

    def __init__(self, nation: Nation, rates: Rates, seed: int) -> None:
        self.nation, self.rates = nation, rates
        self.seed = seed
        self.rng = {c: stream(seed, c) for c in ("cases", "penalties")}
        self.journal = Journal()
        self._queue: list[tuple[dt.date, int, str, str]] = []
        self._serial = 0
        self._linked: dict[str, list[str]] = {}
        self._pending: dict[dt.date, list[tuple[str, int]]] = {}
        self.changed: set[str] = set()

    def day(self, day: dt.date) -> set[str]:
        """Live one day; return the subjects whose records changed."""
        self.changed = set()
        self._cases(day)
        self._penalties(day)
        if (day.month, day.day) == (7, 1):
            self._late_filings(day)
        for org_code, year in self._pending.pop(day, []):
            listing = self._record(org_code, r.ABNORMAL, "samr", day, r.late_filing_fields(year))
            self._schedule_cure(listing, day, self._event(f"cure/{org_code}", day, year))
        while self._queue and self._queue[0][0] <= day:
            _, _, kind, record_id = heapq.heappop(self._queue)
            self._respond(kind, record_id, day)
        return self.changed

    # --- conduct -------------------------------------------------------------------------

    def _cases(self, day: dt.date) -> None:
        """Candidate cases at the ceiling rate, each accepted with intensity / ceiling: a
        lower intensity removes cases and changes none of the others."""
        rates = self.rates
        ceiling = max(CEILING, rates.case_intensity)
        accept = rates.case_intensity / ceiling
        people = rates.person_case_rate * ceiling * self.nation.population.size / DAYS_A_YEAR
        for number in range(poisson(self.rng["cases"], people)):
            event = self._event("person-case", day, number)
            who = _child(event)  # drawing an adult takes a varying number of draws
            if event.random() < accept and (person := self.nation.adult(who, day)):
                self._case(day, self.nation.enter_person(person), event)
        orgs = rates.org_case_rate * ceiling * len(self.nation.organisations) / DAYS_A_YEAR
        for number in range(poisson(self.rng["cases"], orgs)):
            event = self._event("org-case", day, number)
            if event.random() < accept and (org := self.nation.organisation(event, day)):
                self._case(day, self.nation.enter_org(org), event)

    def _event(self, kind: str, day: dt.date, number: int) -> random.Random:
        """The random stream of one event: its draws do not depend on the other events."""
        return stream(self.seed, f"{kind}/{day.isoformat()}/{number}")

    def _case(self, day: dt.date, debtor: str, rng: random.Random) -> None:
        """A case, and the records that follow it: they name the case's subject (the wrong
        one if the case is wrongly recorded) and share its fate (performance, correction)."""
        organisation = self.nation.org(debtor) is not None
        fields = r.case_fields(rng, organisation)
        with_order = rng.random() < self.rates.consumption_order_share
        case = self._record(debtor, r.ENFORCEMENT, "court", day, fields, rng)
        self._schedule_outcome(case, fields["ground"], rng)
        named = self.nation.record(case).subject
        org = self.nation.org(named)
        follow = []
        if with_order:
            order = r.order_fields(rng, fields["amount_due"], org, day)
            follow.append(self._record(named, r.ORDER, "court", day, order))
        if org is not None and self.rates.list_legal_representatives >= 1:
            representative = org.legal_representative.code
            follow.append(self._record(representative, r.ENFORCEMENT, "court", day, dict(fields)))
        if case in self.journal.wrongful:
            self.journal.wrongful.update(follow)
        self._linked[case] = follow

    def _penalties(self, day: dt.date) -> None:
        rates = self.rates
        mean = rates.penalty_org_rate * len(self.nation.organisations) / DAYS_A_YEAR
        for number in range(poisson(self.rng["penalties"], mean)):
            event = self._event("penalty", day, number)
            org = self.nation.organisation(event, day)
            if org is None:
                continue
            fields = r.penalty_fields(event, day)
            subject = self.nation.enter_org(org)
            penalty = self._record(subject, r.PENALTY, "samr", day, fields, event)
            self._schedule_penalty(penalty, day, fields["published_on"], event)

    def _late_filings(self, day: dt.date) -> None:
        """On 1 July, the organisations that did not file last year's annual report; each is
        listed on a day of July to September (SAMR rules; synthetic nation's rates)."""
        year = day.year - 1
        rng = stream(self.seed, f"late-filing/{year}")
        for org in self.nation.organisations:
            late = rng.random() < self.rates.late_filing_share
            listed = day + dt.timedelta(days=rng.randint(0, 91))
            if late and org.registered_on.year <= year:
                self._pending.setdefault(listed, []).append((self.nation.enter_org(org), year))

    def _schedule_cure(self, listing: str, day: dt.date, rng: random.Random) -> None:
        if rng.random() < self.rates.late_filing_cured_share:
            median = math.log(self.rates.late_filing_cure_days_median)
            cured = day + dt.timedelta(days=max(1, round(rng.lognormvariate(median, 1.0))))
            self._schedule(cured, "perform", listing)

    def _record(
        self,
        subject: str,
        category: str,
        agency: str,
        day: dt.date,
        fields: dict[str, Any],
        errors: random.Random | None = None,
    ) -> str:
        """Create a record; given a stream to draw errors from, with the record error rate
        it names a wrong subject (records that follow a case take the case's subject)."""
        self._serial += 1
        record_id = f"sim-{self._serial}"
        if errors is not None and errors.random() < self.rates.record_error_rate:
            subject = self._wrong_subject(_child(errors), subject, day)
            self.journal.wrongful.add(record_id)
            if errors.random() < self.rates.objection_share:
                delay = errors.randint(5, max(5, int(self.rates.objection_days_max)))
                self._schedule(day + dt.timedelta(days=delay), "object", record_id)
        doc_no = f"({day.year})sim-{self._serial}"
        self.nation.add_record(Record(record_id, subject, category, agency, doc_no, day, fields))
        self.changed.add(subject)
        return record_id

    def _wrong_subject(self, rng: random.Random, subject: str, day: dt.date) -> str:
        if self.nation.org(subject) is not None:
            org = self.nation.organisation(rng, day)
            return self.nation.enter_org(org) if org is not None else subject
        person = self.nation.adult(rng, day)
        return self.nation.enter_person(person) if person is not None else subject

    # --- responses -----------------------------------------------------------------------

    def _schedule(self, day: dt.date, kind: str, record_id: str) -> None:
        heapq.heappush(self._queue, (day, self._serial, kind, record_id))
        self._serial += 1

    def _schedule_outcome(self, case: str, ground: str, rng: random.Random) -> None:
        if case in self.journal.wrongful:
            return
        rates = self.rates
        decided = self.nation.record(case).decided_on
        draw = rng.random()
        if draw < rates.performed_share:
            days = rng.lognormvariate(
                math.log(rates.performance_days_median), rates.performance_days_sigma
            )
            performed = decided + dt.timedelta(days=max(1, round(days)))
            self._schedule(performed, "perform", case)
            if ground in r.FIXED_PERIOD_GROUNDS and rng.random() < rates.early_deletion_share:
                later = performed + dt.timedelta(days=int(rates.early_deletion_days))
                self._schedule(later, "early_delete", case)
        elif draw < rates.performed_share + rates.revoked_share:
            days = rng.randint(30, max(30, int(rates.revocation_days_max)))
            self._schedule(decided + dt.timedelta(days=days), "revoke", case)

    def _schedule_penalty(
        self, penalty: str, day: dt.date, published: dt.date | None, rng: random.Random
    ) -> None:
        if penalty in self.journal.wrongful:
            return
        rates = self.rates
        if rng.random() >= rates.penalty_performed_share:
            return
        performed = day + dt.timedelta(days=rng.randint(5, 90))
        self._schedule(performed, "perform", penalty)
        if published is not None and rng.random() < rates.repair_application_share:
            applied = max(performed, published + dt.timedelta(days=rng.randint(60, 450)))
            self._schedule(applied, "repair", penalty)

    def _respond(self, kind: str, record_id: str, day: dt.date) -> None:
        linked = [record_id, *self._linked.get(record_id, [])]
        if kind == "object":
            self.journal.objections += 1
            self._schedule(
                day + dt.timedelta(days=int(self.rates.correction_days)), "correct", record_id
            )
            return
        if kind == "repair":
            self.changed.add(self.nation.set_fields(record_id, **r.repair_fields(day)).subject)
            return
        status = {"perform": "performed", "revoke": "revoked", "correct": "corrected"}.get(
            kind, "repaired"
        )
        for linked_id in linked:
            record = self.nation.change_status(linked_id, status, day)
            self.changed.add(record.subject)
            if kind == "perform":
                self.journal.performed_on[linked_id] = day
        if kind == "perform":
            self.journal.performances[self.nation.record(record_id).category] += 1
