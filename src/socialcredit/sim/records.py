"""The fields of the records the simulator creates, typed as the packs' catalogs read them.

The draws follow the synthetic-nation generator's documented rates (``socialcredit.synth``);
only the money amounts and the court's name are cosmetic.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from socialcredit.synth import agency_rates as ar
from socialcredit.synth import rates as sr
from socialcredit.synth.orgs import Organisation

ENFORCEMENT = "court.enforcement_case"
ORDER = "court.consumption_restriction_order"
PENALTY = "admin.penalty_decision"
ABNORMAL = "samr.abnormal_operations_listing"
GROUNDS = tuple(g for g, _ in sr.GROUND_WEIGHTS)
GROUND_WEIGHTS = tuple(w for _, w in sr.GROUND_WEIGHTS)
FIXED_PERIOD_GROUNDS = frozenset(GROUNDS) - {"refuses_with_ability"}


def case_fields(rng: random.Random, organisation: bool) -> dict[str, Any]:
    """An enforcement case with a finding of dishonest conduct (cn-judgment-defaulters).

    ``has_ability`` is true: the cases drawn are those where the court found the conduct,
    which under the 2013 rules presupposes the ability to perform."""
    ground = rng.choices(GROUNDS, weights=GROUND_WEIGHTS)[0]
    aggravated = ground != "refuses_with_ability" and rng.random() < sr.AGGRAVATED_SHARE
    median, sigma = (
        (sr.ORG_AMOUNT_MEDIAN_YUAN, sr.ORG_AMOUNT_SIGMA)
        if organisation
        else (sr.PERSON_AMOUNT_MEDIAN_YUAN, sr.PERSON_AMOUNT_SIGMA)
    )
    amount = min(rng.lognormvariate(math.log(median), sigma), sr.AMOUNT_MAX_YUAN)
    return {
        "amount_due": round(amount, 2),
        "ground": ground,
        "aggravated": aggravated,
        "extension_years": rng.randint(1, 3) if aggravated else None,
        "security_sufficient": rng.random() < sr.SECURITY_SUFFICIENT_SHARE,
        "seized_assets_sufficient": rng.random() < sr.SEIZED_ASSETS_SUFFICIENT_SHARE,
        "later_in_order": rng.random() < sr.LATER_IN_ORDER_SHARE,
        "court": "simulated basic people's court",
        "has_ability": True,
    }


def order_fields(
    rng: random.Random, amount: float, organisation: Organisation | None, day: dt.date
) -> dict[str, Any]:
    """A consumption-restriction order in the case (cn-consumption-restrictions), naming the
    officers of an organisation debtor (the actual controller from 2015-07-22)."""
    controller = organisation.actual_controller if organisation else None
    principal = organisation.principal if organisation else None
    creditor = rng.random() < ar.CREDITOR_APPLICATION_SHARE
    return {
        "amount": amount,
        "initiated_by": "creditor_application" if creditor else "court_own_motion",
        "court": "simulated basic people's court",
        "legal_representative": organisation.legal_representative.code if organisation else None,
        "principal": principal.code if principal else None,
        "actual_controller": (
            controller.code if controller and day >= ar.ACTUAL_CONTROLLER_FROM else None
        ),
    }


def penalty_fields(rng: random.Random, day: dt.date) -> dict[str, Any]:
    """A market-regulation penalty (cn-credit-repair), tiered as the synthetic nation does.

    Minor penalties (warnings and summary-procedure fines) carry no publication date: the
    2023 and 2026 measures say they are (normally) not published."""
    kinds = [kind for kind, _ in ar.PENALTY_TYPE_WEIGHTS]
    penalty = rng.choices(kinds, weights=[w for _, w in ar.PENALTY_TYPE_WEIGHTS])[0]
    fine = 0.0
    if penalty == "fine":
        fine = max(100.0, round(rng.lognormvariate(math.log(ar.FINE_MEDIAN_YUAN), ar.FINE_SIGMA)))
    light = penalty == "warning" or 0 < fine <= ar.SUMMARY_FINE_MAX_YUAN
    if penalty in ar.SERIOUS_PENALTY_TYPES or fine >= ar.SERIOUS_FINE_MIN_YUAN:
        tier = "serious"
    else:
        tier = "minor" if light else "general"
    published = day + dt.timedelta(days=rng.randint(*ar.PUBLICATION_DAYS))
    return {
        "penalty_type": penalty,
        "tier": tier,
        "summary_procedure": light,
        "heavy_penalty": tier == "serious",
        "criticism_or_lower_fine_only": light,
        "fine_amount": fine or None,
        "published_on": None if tier == "minor" else published,
        "authority": "simulated market regulation bureau",
    }


def repair_fields(day: dt.date) -> dict[str, Any]:
    """A credit-repair application with a credit commitment, made on ``day``."""
    return {
        "repair_applied_on": day,
        "credit_commitment_on": day,
        "harm_removed": True,
        "repeat_same_type_penalty": False,
        "on_abnormal_or_serious_list": False,
    }


def late_filing_fields(year: int) -> dict[str, Any]:
    """An abnormal-operations listing for the annual report of ``year`` not filed
    (cn-enterprise-credit)."""
    return {
        "cause": "no_annual_report",
        "report_year": year,
        "ordered_deadline": None,
        "authority": "simulated market regulation bureau",
    }
