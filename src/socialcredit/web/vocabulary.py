"""Codes of the packs and the store in words, for people: ``breaches_restriction`` ->
"breached a restriction order" (and its Chinese in the catalogue). Each wording is marked
with ``N_`` so that Babel extracts it; pages translate it when they show it. A code that is
not here is shown with its separators as spaces."""

from __future__ import annotations

import re
from collections.abc import Callable

from socialcredit.core.pack.wording import without_notes


def N_(message: str) -> str:  # the conventional name of the marker Babel extracts
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


Gettext = Callable[[str], str]

WORDS: dict[str, str] = {
    # effects of a measure
    "allow": N_("allowed"),
    "deny": N_("denied"),
    "restrict": N_("restricted"),
    "scrutinise": N_("scrutinised"),
    "reward": N_("rewarded"),
    # status of a record
    "active": N_("in force"),
    "performed": N_("performed"),
    "revoked": N_("revoked"),
    "corrected": N_("corrected"),
    "expired": N_("expired"),
    "repaired": N_("credit repaired"),
    # objections and repair
    "open": N_("open"),
    "escalated": N_("escalated"),
    "upheld": N_("upheld"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    # subjects, lists, disclosure
    "person": N_("natural person"),
    "organisation": N_("organisation"),
    "blacklist": N_("blacklist"),
    "redlist": N_("redlist"),
    "watchlist": N_("key-attention list"),
    "public": N_("public"),
    "shared": N_("shared"),
    "restricted": N_("restricted (not public)"),
    # bulk screening: outcomes of a row
    "listed": N_("listed"),
    "possible_match": N_("possible match"),
    "no_match": N_("no match"),
    "unreadable": N_("unreadable"),
    # levels of legal sources
    "law": N_("law"),
    "administrative_regulation": N_("administrative regulation"),
    "judicial_interpretation": N_("judicial interpretation"),
    "departmental_rule": N_("departmental rule"),
    "local_regulation": N_("local regulation"),
    "policy_document": N_("policy document"),
    "foreign_law": N_("foreign law"),
    "foreign_regulation": N_("foreign regulation"),
    "other": N_("other"),
    # roles through which a measure reaches a person
    "subject": N_("the subject"),
    "legal_representative": N_("legal representative"),
    "principal": N_("principal"),
    "actual_controller": N_("actual controller"),
    "directly_responsible_person": N_("directly responsible person"),
    "shareholder": N_("shareholder"),
    # steps of due process
    "notice": N_("notice"),
    "objection": N_("objection"),
    "correction": N_("correction"),
    "deletion": N_("deletion"),
    "publication": N_("publication"),
    "reconsideration": N_("administrative reconsideration"),
    "repair": N_("credit repair"),
    "review": N_("review"),
    "statement_and_defence": N_("statement and defence"),
    # grounds of a dishonest-debtor listing (SPC 2017 art. 1)
    "refuses_with_ability": N_("able to perform but refused to"),
    "obstructs": N_("obstructed enforcement with false evidence, violence or threats"),
    "evades": N_("evaded enforcement by false litigation, arbitration or hiding assets"),
    "breaches_asset_reporting": N_("breached the duty to report assets"),
    "breaches_restriction": N_("breached a consumption-restriction order"),
    "breaches_settlement": N_("breached an enforcement settlement without good reason"),
    "creditor_application": N_("on the creditor's application"),
    "court_own_motion": N_("of the court's own motion"),
    # ways off a list
    "fully-performed": N_("obligations fully performed"),
    "settlement-performed": N_("settlement performed"),
    "settlement-performed-and-confirmed": N_("settlement performed and confirmed"),
    "creditor-applied": N_("deleted on the creditor's application"),
    "closed-without-assets": N_("case closed for want of assets"),
    "ruled-not-to-enforce": N_("court ruled not to enforce"),
    "enforcement-terminated": N_("enforcement terminated"),
    "suspended-for-retrial-or-bankruptcy": N_("suspended for retrial or bankruptcy"),
    "listing-revoked": N_("listing revoked"),
    "corrected-on-objection": N_("corrected on objection"),
    "corrected-on-application": N_("corrected on application"),
    "credit-repair": N_("credit repair"),
    "early-deletion": N_("deleted early"),
    "lifted-on-security": N_("lifted on security provided"),
    "lifted-on-creditor-consent": N_("lifted with the creditor's consent"),
    "penalty-revoked": N_("penalty revoked"),
    "annual-report-filed": N_("annual report filed"),
    "abnormal-listing-revoked": N_("abnormal-operations listing revoked"),
    # domains and actions
    "travel": N_("travel"),
    "consumption": N_("consumption"),
    "business": N_("business"),
    "positions": N_("positions"),
    "finance": N_("finance"),
    "tax": N_("tax"),
    "honours": N_("honours"),
    "employment": N_("employment"),
    "administration": N_("administration"),
    "market_regulation": N_("market regulation"),
    "public_services": N_("public services"),
    "registration": N_("registration"),
    "buy_flight_ticket": N_("buy a flight ticket"),
    "buy_g_train_ticket": N_("buy a G-train ticket"),
    "buy_emu_first_class": N_("buy a first-class EMU seat"),
    "buy_rail_soft_sleeper": N_("buy a soft-sleeper berth"),
    "buy_ship_cabin_second_class_or_above": N_("buy a second-class or better ship cabin"),
    "buy_ordinary_rail_ticket": N_("buy an ordinary train ticket"),
    "stay_star_hotel": N_("stay at a star-rated hotel"),
    "spend_at_nightclub_or_golf": N_("spend at nightclubs or golf courses"),
    "buy_real_estate": N_("buy real estate"),
    "build_or_renovate_luxury_house": N_("build or renovate a luxury house"),
    "rent_high_end_office": N_("rent a high-end office"),
    "buy_non_essential_vehicle": N_("buy a vehicle not needed for business"),
    "take_holiday_travel": N_("travel on holiday"),
    "enroll_child_high_fee_private_school": N_("send a child to a high-fee private school"),
    "buy_high_premium_insurance": N_("buy high-premium insurance"),
    "bid_public_procurement": N_("bid in public procurement"),
    "bid_tendering": N_("take part in tendering"),
    "apply_government_subsidy": N_("apply for a government subsidy"),
    "apply_administrative_licence": N_("apply for an administrative licence"),
    "issue_bonds": N_("issue bonds"),
    "list_shares": N_("list shares"),
    "establish_financial_institution": N_("establish a financial institution"),
    "obtain_bank_loan": N_("obtain a bank loan"),
    "obtain_vat_invoices": N_("obtain VAT invoices"),
    "claim_export_rebate": N_("claim an export tax rebate"),
    "serve_as_legal_representative": N_("serve as legal representative"),
    "serve_as_director_or_executive": N_("serve as director or senior executive"),
    "serve_as_principal": N_("serve as principal"),
    "apply_civil_service": N_("apply for the civil service"),
    "receive_honour": N_("receive an honour"),
    "leave_the_country": N_("leave the country"),
    "apply_credit_card": N_("apply for a credit card"),
    "bid_state_land_use_rights": N_("bid for state land-use rights"),
    "obtain_market_access": N_("obtain market access"),
    "obtain_qualification_certification": N_("obtain a qualification certificate"),
    "apply_simplified_deregistration": N_("apply for simplified deregistration"),
    "fast_track_approval": N_("get fast-track approval"),
    "file_tax_return": N_("file a tax return"),
    "tax_green_channel": N_("use the tax green channel"),
    "undergo_routine_inspection": N_("undergo routine inspection"),
    # record categories and their fields most often shown
    "court.enforcement_case": N_("enforcement case"),
    "court.consumption_restriction_order": N_("consumption-restriction order"),
    "admin.penalty_decision": N_("administrative penalty decision"),
    "amount_due": N_("amount due"),
    "amount": N_("amount"),
    "fine_amount": N_("fine"),
    "ground": N_("ground"),
    "court": N_("court"),
    "authority": N_("authority"),
    "initiated_by": N_("initiated"),
    "penalty_type": N_("kind of penalty"),
    "published_on": N_("published on"),
    "aggravated": N_("serious circumstances"),
    "security_sufficient": N_("sufficient security provided"),
    "seized_assets_sufficient": N_("seized assets sufficient"),
    "later_in_order": N_("later in the order of performance"),
    "has_ability": N_("able to perform"),
    "other_not_able_to_perform": N_("otherwise unable to perform"),
    "extension_years": N_("extension (years)"),
    "campus_loan_student": N_("student in a campus-loan dispute"),
    "settlement_performed_on": N_("settlement performed on"),
    "creditor_deletion_approved_on": N_("creditor's deletion approved on"),
    "closed_without_assets_on": N_("closed for want of assets on"),
    "suspended_on": N_("suspended on"),
    "ruled_not_to_enforce_on": N_("ruled not to enforce on"),
    "performed_on": N_("performed on"),
    "security_provided": N_("security provided"),
    "creditor_consented": N_("creditor consented"),
    "restricted_until": N_("restricted until"),
    "court_permission_for": N_("court permission for"),
    # agencies
    "caac": N_("Civil Aviation Administration"),
    "china-railway": N_("China State Railway Group"),
    "sta": N_("State Taxation Administration"),
    "samr": N_("State Administration for Market Regulation"),
    "ndrc": N_("National Development and Reform Commission"),
    "pboc": N_("People's Bank of China"),
    "csrc": N_("China Securities Regulatory Commission"),
    "mof": N_("Ministry of Finance"),
    "mohrss": N_("Ministry of Human Resources and Social Security"),
    "mnr": N_("Ministry of Natural Resources"),
    "housing": N_("housing and urban-rural development authorities"),
    "education": N_("education authorities"),
    "immigration": N_("National Immigration Administration"),
    "culture-and-tourism": N_("culture and tourism authorities"),
    "financial-regulator": N_("financial regulator"),
    "local-government": N_("local government"),
    "maritime": N_("maritime authorities"),
    "public-security-traffic": N_("traffic police"),
    "customs": N_("customs"),
    "civil-affairs": N_("civil affairs authorities"),
}

_CODE = re.compile(r"(?<![\w.-])[a-z]+(?:[_.-][a-z]+)*(?![\w-])")
# Codes of one plain word are put in words inside a pack's sentence only when they cannot
# be ordinary English there (``performed`` or ``open`` can).
ONE_WORD_CODES = frozenset({"obstructs", "evades"})


def words(code: object, gettext: Gettext) -> str:
    """``code`` in words in the page's language."""
    if code is None:
        return ""
    text = str(code)
    known = WORDS.get(text)
    if known is not None:
        return gettext(known)
    return text.replace("_", " ").replace("-", " ")


def plain_codes(text: object, gettext: Gettext) -> str:
    """``text`` (a reason written by a pack) with the known codes in it put in words."""
    if text is None:
        return ""

    def one(match: re.Match[str]) -> str:
        code = match.group(0)
        known = WORDS.get(code)
        if known is None or not (code in ONE_WORD_CODES or not code.isalpha()):
            return code
        return gettext(known)

    return _CODE.sub(one, str(text))


_SNAKE_CODE = re.compile(r"(?<![\w.-])[a-z]+(?:_[a-z]+)+(?![\w-])")


def every_code_in_words(text: object, gettext: Gettext) -> str:
    """``text`` with every code in it in words, known or not (``insurance_fraud`` reads
    "insurance fraud"): for sentences the public reads."""
    found = plain_codes(text, gettext)
    return _SNAKE_CODE.sub(lambda match: words(match.group(0), gettext), found)


def public_fallback(text: object, gettext: Gettext) -> str:
    """A pack's own wording shown to the public for want of ``public`` wording: without its
    research notes (``core.pack.wording.without_notes``) and with its codes in words."""
    return every_code_in_words(without_notes(text), gettext)


# Titles and messages of error pages and of the sign-in form: the web modules raise them in
# English; pages translate them when they show them (``translated``).
MESSAGES = (
    N_("Bad request"),
    N_("Please sign in"),
    N_("Not allowed"),
    N_("Page not found"),
    N_("Not allowed here"),
    N_("Upload too large"),
    N_("Please check what you entered"),
    N_("Something went wrong on our side"),
    N_("Error"),
    N_("Unsupported file"),
    N_("The file cannot be read"),
    N_("There is no page at this address. Try the search on the home page."),
    N_("This API key is not valid or has been revoked."),
    N_("The sign-in form expired or did not come from this portal; please try again."),
    N_("Your session has ended or your key has been revoked: sign in again."),
    N_("The form has expired or did not come from this portal. Reload and try again."),
    N_("The page could not be made. The error has been logged; please try again."),
    N_("No public record has this reference."),
    N_("Upload a .csv or a .jsonl (JSON Lines) file."),
    N_("Too many searches"),
    N_(
        "Too many searches from your address. Please wait a little and search again. "
        "A person is found by his full name or his identity number."
    ),
)
