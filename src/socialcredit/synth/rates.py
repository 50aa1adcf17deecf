"""The rates and sizes the synthetic nation is drawn with, each with its basis.

Figures marked *rough reading* come from ``reference/scs-facts.md`` section 12 (national
statistics), read loosely: the published figures are cumulative list entries, not persons,
and do not split persons from organisations. Figures marked *assumption* have no published
basis that we know of; they are chosen to give the demo and the benchmarks plausible variety,
and nothing should be concluded from them.
"""

from __future__ import annotations

import datetime as dt

# --- population -------------------------------------------------------------------------

# Ages of persons at the start of the period, uniform. The brief asks for 10 to 85 so that
# some persons are minors at the start (uniform ages make about 10% minors; assumption).
AGE_MIN_AT_START = 10
AGE_MAX_AT_START = 85

# Age of majority: minors are not listed (spc-2017 art. 4; the pack's parameter adult_age).
ADULT_AGE = 18

# Age of a legal representative, principal or actual controller on the registration day.
# 18 is full civil capacity (Civil Code art. 17); the upper bound is an assumption.
OFFICER_AGE_MIN = 18
OFFICER_AGE_MAX = 75

# Organisations are registered between this day and ``end - REGISTRATION_MARGIN_DAYS``,
# evenly spread (assumption; the USCC itself dates from 2015, older entities were re-coded).
REGISTRATIONS_FROM = dt.date(2000, 1, 1)
REGISTRATION_MARGIN_DAYS = 30

# New registrations get an organisation code starting with "MA" from this day, when the
# unified code replaced the separate organisation code (GB 32100-2015 took effect
# 2015-10-01; the "MA" prefix is common on such codes, read here as a convention).
UNIFIED_CODE_FROM = dt.date(2015, 10, 1)

# Share of organisations that are individual businesses (type 2 under authority 9).
# In reality individual businesses outnumber enterprises; the brief asks for "type 1 mostly"
# so that the demo is about companies (assumption).
INDIVIDUAL_BUSINESS_SHARE = 0.2

# Share of organisations whose legal representative already represents an earlier one
# (assumption; only meant to make "a person may represent several orgs" happen).
REPEAT_REPRESENTATIVE_SHARE = 0.1

# Shares of registrations naming a principal, and an actual controller, who is not the legal
# representative (assumption).
PRINCIPAL_SHARE = 0.25
ACTUAL_CONTROLLER_SHARE = 0.15

# --- enforcement cases ------------------------------------------------------------------

# Share of persons with at least one enforcement case (a finding of dishonest conduct) over
# the period. Rough reading: 14.5 M cumulative list entries by July 2019 and 2.5-3.2 M new
# entries a year in 2023-2024 suggest some 25-30 M entries by 2025, persons and
# organisations together, against about 1.1 billion adults: of the order of 1-3% of adults.
PERSON_CASE_SHARE = 0.02

# Share of minors (at the start) with a case decided while they are still minors: a few, so
# that the pack's exemption of minors (spc-2017 art. 4) has something to exempt (assumption).
MINOR_CASE_SHARE = 0.005

# Share of organisations with at least one case. Section 12 gives no split between persons
# and organisations; the brief asks for "several %" (assumption).
ORG_CASE_SHARE = 0.05

# Probability that a debtor has one more case, repeated (a geometric count; mean 1.33 cases
# per debtor). The list counts entries, not debtors, and no ratio is published (assumption).
EXTRA_CASE_PROBABILITY = 0.25

# An organisation's first case comes at least this many days after its registration
# (assumption).
FIRST_CASE_AFTER_REGISTRATION_DAYS = 90

# Grounds of listing, as weights. "refuses_with_ability" is the most common ground on the
# public list, followed by breaches of the asset-reporting system: an impression of the
# published entries, not a measured distribution (assumption).
GROUND_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("refuses_with_ability", 0.68),
    ("breaches_asset_reporting", 0.12),
    ("evades", 0.09),
    ("breaches_restriction", 0.05),
    ("obstructs", 0.03),
    ("breaches_settlement", 0.03),
)

# Share of cases on grounds (2)-(6) found aggravated (serious circumstances, spc-2017 art. 2,
# which extends only those grounds; refuses_with_ability cases are never marked). Assumption.
AGGRAVATED_SHARE = 0.1

# Shares of cases meeting each do-not-list exemption of spc-2017 art. 3, drawn
# independently (assumption: the feed is of cases with a finding of dishonest conduct, so
# exemptions are rare).
SECURITY_SUFFICIENT_SHARE = 0.03
SEIZED_ASSETS_SUFFICIENT_SHARE = 0.04
LATER_IN_ORDER_SHARE = 0.02

# Amount due, log-normal: median in yuan and sigma of the logarithm (assumption; section 12
# publishes no amounts).
PERSON_AMOUNT_MEDIAN_YUAN = 30_000
PERSON_AMOUNT_SIGMA = 1.2
ORG_AMOUNT_MEDIAN_YUAN = 200_000
ORG_AMOUNT_SIGMA = 1.5
AMOUNT_MAX_YUAN = 500_000_000

# Share of cases the debtor eventually performs, and the days it takes (log-normal median
# and sigma). Rough reading: 3.22 M debtors had complied by Sep 2018 against 12.11 M
# entries (about 27%), while in 2023-2024 yearly restorations (2.1-2.8 M) came close to or
# above yearly new entries (2.5-3.2 M); 45% "eventually" sits between. The days are an
# assumption. A performance that would fall after ``end`` is not in the feed: the case stays
# active, so fewer than 45% of cases have a "performed" row.
PERFORMED_SHARE = 0.45
PERFORMANCE_DAYS_MEDIAN = 150
PERFORMANCE_DAYS_SIGMA = 1.0

# Share of the remaining cases whose enforcement ends otherwise (terminated, ruled not to be
# enforced, withdrawn: spc-2017 art. 10), and the days it takes, uniform (assumption).
REVOKED_SHARE = 0.06
REVOCATION_DAYS = (30, 540)

# --- case numbers -----------------------------------------------------------------------

# Case numbers of one court in one year rise by a random step of 1 to this many between our
# cases: a real basic court files thousands of enforcement cases a year, of which the nation
# sees only a sample (cosmetic).
CASE_NUMBER_STEP_MAX = 40

# --- deliberately invalid rows ----------------------------------------------------------

# Probability that a valid row is followed by a corrupted copy of it (one known defect, with
# its own document number), so that ingestion has errors to report: about 0.75% of rows, as
# the brief asks for 0.5-1%.
INVALID_ROW_SHARE = 0.0075
