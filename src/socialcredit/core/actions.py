"""The shared vocabulary of actions (DESIGN.md section 5). Packs may add, never rename."""

from __future__ import annotations

SHARED_ACTIONS: dict[str, str] = {
    action: domain
    for domain, actions in {
        "travel": [
            "buy_flight_ticket",
            "buy_g_train_ticket",
            "buy_emu_first_class",
            "buy_rail_soft_sleeper",
            "buy_ship_cabin_second_class_or_above",
            "buy_ordinary_rail_ticket",
        ],
        "consumption": [
            "stay_star_hotel",
            "spend_at_nightclub_or_golf",
            "buy_real_estate",
            "build_or_renovate_luxury_house",
            "rent_high_end_office",
            "buy_non_essential_vehicle",
            "take_holiday_travel",
            "enroll_child_high_fee_private_school",
            "buy_high_premium_insurance",
        ],
        "business": [
            "bid_public_procurement",
            "bid_tendering",
            "apply_government_subsidy",
            "apply_administrative_licence",
            "issue_bonds",
            "list_shares",
            "establish_financial_institution",
            "obtain_bank_loan",
            "obtain_vat_invoices",
            "claim_export_rebate",
            "award_federal_contract",
        ],
        "positions": [
            "serve_as_legal_representative",
            "serve_as_director_or_executive",
            "apply_civil_service",
            "receive_honour",
        ],
        "rewards": ["fast_track_approval", "tax_green_channel"],
    }.items()
    for action in actions
}
