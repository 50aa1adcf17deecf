"""Rates of the feeds beyond registration and enforcement (see ``rates`` for those).

Unless a line says otherwise every figure here is an *assumption*: no published statistic
that we know of gives it. They are chosen so that the demo shows every list and rating of
the Chinese packs at a plausible order of magnitude; nothing should be concluded from them.
Each ``*_MIN`` is a floor on the count so that even a small nation shows every kind.
"""

from __future__ import annotations

import datetime as dt

# --- court: consumption-restriction orders ----------------------------------------------

# Share of enforcement cases (debtors who are not minors) with a restriction order.
# Assumption: orders are common in enforcement, and since 2015 every listed debtor is
# restricted anyway (spc-2015 art. 1); no published share.
CONSUMPTION_ORDER_SHARE = 0.5
CONSUMPTION_ORDER_MIN = 3
# Days before the case's listing the order may come (uniform; assumption).
ORDER_DAYS_BEFORE_CASE = 60
# Share of orders initiated on the creditor's application (art. 4; assumption).
CREDITOR_APPLICATION_SHARE = 0.6
# Share of orders against persons aged 18-24 who are campus-loan students (assumption).
CAMPUS_LOAN_STUDENT_SHARE = 0.1
CAMPUS_LOAN_MAX_AGE = 24
# Share of orders not ended by performance that are lifted on security or creditor consent
# (art. 9), half each, after a uniform number of days (assumption).
ORDER_LIFTED_SHARE = 0.08
ORDER_LIFTED_DAYS = (30, 365)
# The 2015 amendment reaches the actual controller (spc-2015; in force 2015-07-22).
ACTUAL_CONTROLLER_FROM = dt.date(2015, 7, 22)

# --- joint sanctions: passengers and social insurance -----------------------------------

# The air and rail lists exist from 2018-05-01 (NDRC 2018 No. 385 and 384, as the pack says).
PASSENGER_LISTS_FROM = dt.date(2018, 5, 1)
# Share of persons with a misconduct finding over the period (assumption).
AIR_MISCONDUCT_SHARE = 0.002
RAIL_MISCONDUCT_SHARE = 0.003
PASSENGER_MISCONDUCT_MIN = 5
AIR_CONDUCT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("carrying_prohibited_items", 0.2),
    ("using_another_persons_id", 0.1),
    ("quarrelling_on_board", 0.15),
    ("disobeying_cabin_orders", 0.15),
    ("smoking_on_board", 0.15),
    ("spreading_terror_rumours", 0.03),
    ("forced_boarding_or_intrusion", 0.07),
    ("obstructing_security_checks", 0.05),
    ("theft_in_cabin", 0.05),
    ("other", 0.05),
)
AIR_SANCTION_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("administrative_penalty", 0.8),
    ("criminal_liability", 0.05),
    ("none", 0.15),
)
RAIL_CONDUCT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("seat_hogging", 0.25),
    ("disrupting_order_endangering_safety", 0.2),
    ("smoking_on_train", 0.35),
    ("ticket_scalping", 0.15),
    ("other", 0.05),
)
# Days from the finding to the listing (uniform; assumption).
LISTING_DELAY_DAYS = 30
# Share of findings later revoked (assumption).
FINDING_REVOKED_SHARE = 0.02

# The social-insurance list exists from 2018-11-22 (as the pack says).
SOCIAL_INSURANCE_FROM = dt.date(2018, 11, 22)
SOCIAL_INSURANCE_ORG_SHARE = 0.01
SOCIAL_INSURANCE_PERSON_SHARE = 0.0005
SOCIAL_INSURANCE_MIN = 3
SOCIAL_INSURANCE_ORG_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("refuses_to_pay_contributions", 0.5),
    ("under_declares_contribution_base", 0.3),
    ("other_listed_conduct", 0.1),
    ("other", 0.1),
)
SOCIAL_INSURANCE_PERSON_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("insurance_fraud", 0.8),
    ("other_listed_conduct", 0.1),
    ("other", 0.1),
)

# --- market regulator: annual reports and listings --------------------------------------

# Share of annual reports filed within the window (1 January - 30 June). Assumption in the
# vicinity of the filing rates regulators announce (around 90%), not a measured figure.
ANNUAL_REPORT_FILED_SHARE = 0.93
# An unfiled report is listed in July-September of the next year (assumption).
NO_REPORT_LISTING_DAYS = (0, 91)
# Share of listings cured later (late report, information published or corrected, reachable
# again), and the days it takes (log-normal median and sigma). Assumption.
LISTING_CURED_SHARE = 0.75
LISTING_CURE_DAYS_MEDIAN = 120
LISTING_CURE_DAYS_SIGMA = 1.0
# Yearly shares of organisations listed for the other three causes (assumption).
UNREACHABLE_SHARE = 0.01
FALSE_INFORMATION_SHARE = 0.002
ORDERED_INFORMATION_SHARE = 0.003
OTHER_CAUSE_MIN = 2
ORDERED_DEADLINE_DAYS = (1, 60)
# An organisation is first listed for another cause this long after registering (assumption).
FIRST_LISTING_AFTER_REGISTRATION_DAYS = 180

# The serious-violation list exists from 2021-09-01 (SAMR Order 44, as the pack says).
SERIOUS_VIOLATION_FROM = dt.date(2021, 9, 1)
SERIOUS_VIOLATION_SHARE = 0.003
SERIOUS_VIOLATION_MIN = 3
VILE_SERIOUS_HIGH_HARM_SHARE = 0.85
SERIOUS_PENALTY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("heavy_fine", 0.45),
    ("permit_revoked", 0.15),
    ("business_licence_revoked", 0.1),
    ("production_or_business_suspended", 0.15),
    ("practice_restricted", 0.1),
    ("other_heavier_penalty", 0.05),
)
SECTORS = (
    "food",
    "drugs",
    "medical_devices",
    "cosmetics",
    "quality_and_safety",
    "consumer_rights",
    "fair_competition",
    "market_order",
)
# Bans that outlast the publication: 1 to this many years (assumption).
BAN_YEARS_MAX = 5

# --- administrative penalties (credit repair) -------------------------------------------

# Yearly share of organisations penalised by the market regulator (assumption).
PENALTY_SHARE = 0.01
PENALTY_MIN = 5
PENALTY_TYPE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("warning", 0.25),
    ("fine", 0.55),
    ("confiscation", 0.08),
    ("licence_suspension", 0.04),
    ("business_limit", 0.03),
    ("production_suspension", 0.03),
    ("licence_revocation", 0.02),
)
SERIOUS_PENALTY_TYPES = ("licence_revocation", "production_suspension", "business_limit")
# Fines, log-normal (median yuan, sigma); assumption.
FINE_MEDIAN_YUAN = 20_000
FINE_SIGMA = 1.3
# Administrative Penalty Law art. 51 (2021): summary procedure for fines of up to 3,000
# yuan on a legal person (a legal rule, used here as the cut).
SUMMARY_FINE_MAX_YUAN = 3_000
# A fine below this is "general" rather than "serious" unless the type is serious (assumption).
SERIOUS_FINE_MIN_YUAN = 1_000_000
# Days from the decision to publication (uniform; the 7 working-day rule is read loosely).
PUBLICATION_DAYS = (1, 10)
# Share of penalties performed (fine paid, order complied with) and the days it takes.
PENALTY_PERFORMED_SHARE = 0.8
PENALTY_PERFORMED_DAYS = (5, 90)

# --- tax authority ----------------------------------------------------------------------

# Evaluations are made in April for the past tax year (assumption on the day).
EVALUATION_MONTH = 4
NO_INCOME_SHARE = 0.05
INCOMPLETE_INFORMATION_SHARE = 0.02
DEDUCTION_SHARE = 0.08
EXTRA_DEDUCTION_PROBABILITY = 0.3
DEDUCTION_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("1|未按规定期限办理纳税申报", 0.4),
    ("3|未按规定期限缴纳税款", 0.3),
    ("5|未按规定保管账簿凭证", 0.2),
    ("11|提供虚假申报材料", 0.1),
)
DIRECT_D_SHARE = 0.004
DIRECT_D_MIN = 3
DIRECT_D_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("evasion", 0.3),
    ("arrears_evasion", 0.1),
    ("false_vat_invoices", 0.15),
    ("unpaid_assessment", 0.15),
    ("abnormal_household", 0.15),
    ("invoice_violation_for_others", 0.05),
    ("violent_refusal_or_obstruction", 0.02),
    ("other_serious_dishonesty", 0.08),
)
CRIMINAL_SHARE = 0.1
EVADED_MEDIAN_YUAN = 150_000
EVADED_SIGMA = 1.2
EVADED_SHARE_RANGE = (0.03, 0.5)
# Share of organisations with three or more clean years that get a consecutive-A finding.
CONSECUTIVE_A_SHARE = 0.2
CONSECUTIVE_A_YEARS = 3
# Major tax violations: the list exists from 2022-02-01 (as the pack says).
MAJOR_VIOLATION_FROM = dt.date(2022, 2, 1)
MAJOR_VIOLATION_SHARE = 0.002
MAJOR_VIOLATION_MIN = 3
MAJOR_VIOLATION_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("evasion", 0.4),
    ("false_special_vat_invoices", 0.2),
    ("false_ordinary_invoices", 0.1),
    ("arrears_with_hidden_assets", 0.1),
    ("export_rebate_fraud", 0.1),
    ("absconded_before_enforcement", 0.1),
)
MAJOR_AMOUNT_MEDIAN_YUAN = 2_000_000
MAJOR_AMOUNT_SIGMA = 1.0
MAJOR_PAID_SHARE = 0.3

# --- Rongcheng --------------------------------------------------------------------------

RONGCHENG_FROM = dt.date(2018, 1, 1)
# Share of the nation's persons who consent to Rongcheng's personal credit score. Rongcheng
# has under a million residents of 1.4 billion; 0.6% is far above reality, so that the demo
# has some scores to show (assumption).
RONGCHENG_CONSENT_SHARE = 0.006
RONGCHENG_CONSENT_MIN = 6
RONGCHENG_RESIDENCE_YEARS_MAX = 30
HOUSEHOLD_REGISTRATION_SHARE = 0.85
CONSENT_WITHDRAWN_SHARE = 0.03
# Probability that a consenting resident has one more finding, repeated (assumption).
RONGCHENG_FINDING_PROBABILITY = 0.35
RONGCHENG_CONDUCT_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("late_utility_fees", 0.25),
    ("bank_arrears", 0.2),
    ("contract_obligation_failure", 0.1),
    ("contract_breach_liability", 0.05),
    ("private_lending_breach", 0.05),
    ("overdue_debt_liability", 0.1),
    ("other_commercial_untrustworthiness", 0.1),
    ("utility_arrears_finding", 0.07),
    ("illegal_heating_tapping", 0.03),
    ("utility_theft", 0.03),
    ("counterfeit_goods", 0.01),
    ("utility_equipment_destruction", 0.01),
)
BANK_ARREARS_CYCLES_MAX = 6
OTHER_COMMERCIAL_POINTS = (5, 50)
