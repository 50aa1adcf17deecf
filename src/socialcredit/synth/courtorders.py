"""The courts' consumption-restriction orders (限制消费令), issued in enforcement cases.

An order is drawn for a share of the cases of debtors who are not minors, shortly before the
case's listing; it ends when the debtor performs (with the case), or is lifted on security or
the creditor's consent (spc-2010 art. 9), else it stays in force.
"""

from __future__ import annotations

import datetime as dt
import random

from socialcredit.synth import agency_rates as ar
from socialcredit.synth.cases import PERFORMED, Case, money
from socialcredit.synth.dates import age_on
from socialcredit.synth.feeds import flag
from socialcredit.synth.orgs import Organisation
from socialcredit.synth.records import Feed, Item, count_of, day_in

FEED = Feed(
    "court-consumption-restrictions.csv",
    "court",
    "court.consumption_restriction_order",
    (
        "amount",
        "security_provided",
        "creditor_consented",
        "restricted_until",
        "court_permission_for",
        "initiated_by",
        "campus_loan_student",
        "court",
        "legal_representative",
        "principal",
        "directly_responsible_person",
        "actual_controller",
    ),
    "限消令",
)


def _birth(code: str) -> dt.date:
    return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def _officers(organisation: Organisation | None, day: dt.date) -> dict[str, str]:
    representative = organisation.legal_representative.code if organisation else ""
    principal = organisation.principal if organisation else None
    controller = organisation.actual_controller if organisation else None
    return {
        "legal_representative": representative,
        "principal": principal.code if principal else "",
        "directly_responsible_person": "",
        "actual_controller": (
            controller.code if controller and day >= ar.ACTUAL_CONTROLLER_FROM else ""
        ),
    }


Ending = tuple[str, dt.date] | None


def _ending(rng: random.Random, case: Case, day: dt.date, end: dt.date) -> tuple[str, str, Ending]:
    """security_provided, creditor_consented and how the order ended, if it did."""
    if case.outcome == PERFORMED and case.outcome_on is not None:
        return "false", "false", (PERFORMED, case.outcome_on)
    if rng.random() < ar.ORDER_LIFTED_SHARE:
        lifted = day + dt.timedelta(days=rng.randint(*ar.ORDER_LIFTED_DAYS))
        security = rng.random() < 0.5
        return flag(security), flag(not security), ("revoked", lifted) if lifted <= end else None
    return "false", "false", None


def _order(rng: random.Random, case: Case, organisation: Organisation | None, end: dt.date) -> Item:
    debtor = case.debtor
    earliest = max(debtor.first_day, case.decided_on - dt.timedelta(ar.ORDER_DAYS_BEFORE_CASE))
    day = day_in(rng, earliest, case.decided_on)
    student = (
        not debtor.organisation
        and age_on(_birth(debtor.code), day) <= ar.CAMPUS_LOAN_MAX_AGE
        and rng.random() < ar.CAMPUS_LOAN_STUDENT_SHARE
    )
    security, consent, ending = _ending(rng, case, day, end)
    initiated = rng.random() < ar.CREDITOR_APPLICATION_SHARE
    fields = {
        "amount": money(case.amount_cents),
        "security_provided": security,
        "creditor_consented": consent,
        "restricted_until": "",
        "court_permission_for": "",
        "initiated_by": "creditor_application" if initiated else "court_own_motion",
        "campus_loan_student": flag(student),
        "court": debtor.region.court,
        **_officers(organisation, day),
    }
    return Item(debtor.code, debtor.name, day, fields, ending)


def orders(
    rng: random.Random, cases: list[Case], organisations: dict[str, Organisation], end: dt.date
) -> list[Item]:
    """Orders for CONSUMPTION_ORDER_SHARE of the cases of adult debtors."""
    eligible = [case for case in cases if not case.debtor.minor]
    wanted = min(
        len(eligible), count_of(len(eligible), ar.CONSUMPTION_ORDER_SHARE, ar.CONSUMPTION_ORDER_MIN)
    )
    chosen = sorted(rng.sample(range(len(eligible)), wanted))
    return [
        _order(rng, eligible[i], organisations.get(eligible[i].debtor.code), end) for i in chosen
    ]
