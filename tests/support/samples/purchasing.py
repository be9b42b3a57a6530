"""Sample contexts for the error templates of `purchasing.errors` (rendered by a shared test).

Each context has exactly the params the domain raises the error with
(tests/purchasing/test_errors.py checks that).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from purchasing.model import Admin

_DEADLINE = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
_ROUND = "Belanja Bareng Maret"
_ADMINS = [
    Admin("telegram", "111", "", "config", _DEADLINE),
    Admin("telegram", "9001", "Mbak <Rina>", "telegram:111", _DEADLINE),
]

_BULOG_BILL = {
    "number": "TG-007-DT-BULOG",
    "supplier_code": "BULOG",
    "supplier": "Perum <Bulog>",
    "balance": 250_000,
}
_INDOFOOD_BILL = {
    "number": "TG-007-DT-INDOFOOD",
    "supplier_code": "INDOFOOD",
    "supplier": "PT Indofood",
    "balance": 90_000,
}

SAMPLES: dict[str, dict[str, object]] = {
    "errors/purchasing_error": {},
    "errors/round_not_open": {"round_name": _ROUND, "status": "closed", "closes_at": _DEADLINE},
    "errors/deadline_passed": {"round_name": _ROUND, "closes_at": _DEADLINE},
    "errors/round_closing": {"round_name": _ROUND, "closing_since": _DEADLINE},
    "errors/closing_not_extended": {"round_name": _ROUND, "closing_since": _DEADLINE},
    "errors/closing_not_cancelled": {"round_name": _ROUND, "closing_since": _DEADLINE},
    "errors/open_after_deadline": {"round_name": _ROUND, "closes_at": _DEADLINE},
    "errors/deadline_before_opening": {
        "round_name": _ROUND,
        "opens_at": _DEADLINE,
        "closes_at": _DEADLINE,
    },
    "errors/extend_hours_invalid": {
        "round_name": _ROUND,
        "hours": 100_000_000,
        "policy": "extend",
        "minimum": 1,
        "maximum": 720,
    },
    "errors/coop_retired": {"coop_code": "KOPWAN"},
    "errors/product_retired": {"product_code": "GLP-50", "name": "Gula pasir 50 kg"},
    "errors/another_round_open": {
        "round_id": 3,
        "round_name": "Belanja Bareng Maret",
        "closes_at": datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
    },
    "errors/draft_never_opens": {
        "round_name": "Belanja Bareng <April>",
        "closes_at": datetime(2026, 3, 19, 10, 0, tzinfo=UTC),
        "open_round_id": 3,
        "open_round_name": "Belanja Bareng Maret",
        "open_closes_at": datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
    },
    "errors/invite_expired": {
        "coop_code": "KOPPES01",
        "expires_at": datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
    },
    "errors/invite_used_up": {"coop_code": "KOPPES01", "max_uses": 3},
    "errors/admin_unknown": {"admin": "telegram:<999>", "admins": _ADMINS},
    "errors/admin_last": {"admin": "telegram:9001"},
    "errors/order_already_confirmed": {
        "supplier": "Perum Bulog",
        "round_name": _ROUND,
        "delivery_on": _DEADLINE.date(),
    },
    "errors/not_in_purchase_order": {"product_code": "IDM-GRG", "supplier": "Perum Bulog"},
    "errors/delivery_day_too_far": {
        "day": date(2030, 1, 1),
        "today": date(2026, 12, 6),
        "latest": date(2027, 2, 4),
        "max_days": 60,
    },
    "errors/day_with_products": {
        "text": "besok <BRS-SPHP50> 25 GLP-50 7",
        "day": "besok",
        "lines": ["<BRS-SPHP50> 25", "GLP-50 7"],
    },
    "errors/shipped_over_order": {"product_code": "GLP-50", "shipped": 12, "ordered": 10},
    "errors/no_purchase_order": {"supplier": "Perum Bulog", "round_name": _ROUND},
    "errors/nothing_to_receive": {"coop_code": "DT", "round_name": _ROUND},
    "errors/receipt_already_confirmed": {"coop_code": "DT", "round_name": _ROUND},
    "errors/nothing_short_received": {"coop_code": "DT", "round_name": _ROUND},
    "errors/delivery_not_confirmed": {
        "coop_code": "DT",
        "round_name": _ROUND,
        "suppliers": "PT <Indofood>",
    },
    "errors/no_bill_to_pay": {"coop_code": "DT", "proof": True},
    "errors/bill_already_paid": {
        "proof_id": 4,
        "number": "TG-001-DT-BULOG",
        "supplier_code": "BULOG",
    },
    "errors/supplier_not_named": {
        "proof_id": 4,
        "bills": [_BULOG_BILL, _INDOFOOD_BILL],
        "amount": 100_000,
    },
    "errors/count_line_invalid": {"raw": "GLP-50 <-1>", "counted": "shipped", "maximum": 100_000},
    "errors/count_line_duplicate": {
        "product_code": "GLP-50",
        "first": "GLP-50 <6>",
        "again": "glp-50 1",
        "counted": "received",
    },
    "errors/round_name_missing": {},
    "errors/proof_handled": {"proof_id": 4, "status": "verified"},
    "errors/amount_invalid": {"raw": "satu juta", "too_large": False, "maximum": 10**12},
    "errors/amount_over_balance": {
        "amount": 5_000_000,
        "balance": 3_220_000,
        "number": "TG-001-DT",
    },
    "errors/not_on_bill": {"product_code": "IDM-GRG", "coop_code": "DT"},
    "errors/received_over_shipped": {"product_code": "GLP-50", "received": 5, "shipped": 4},
    "errors/invalid_transition": {"from_status": "cancelled", "to_status": "open"},
    "errors/quantity_invalid": {"raw": "1,5", "max_quantity": 100_000},
    "errors/over_coop_maximum": {
        "product_code": "GLP1",
        "name": "Gula pasir 50 kg",
        "unit": "karung",
        "quantity": 45,
        "maximum": 40,
    },
    "errors/unknown_product": {"product_code": "BRS9"},
    "errors/product_not_in_round": {"product_code": "SBN1", "round_name": _ROUND, "round_id": 3},
    "errors/unknown_coop": {"coop_code": "KOPPES99"},
    "errors/invalid_tiers": {"reason": "price_rises", "min_total": 1000, "product_code": "MNY2"},
    "errors/deadline_not_reached": {"round_name": _ROUND, "closes_at": _DEADLINE},
    "errors/deadline_not_later": {
        "round_name": _ROUND,
        "closes_at": _DEADLINE,
        "new_closes_at": datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    },
    "errors/round_empty": {"round_name": _ROUND},
    "errors/unit_mismatch": {"product_code": "MNY2", "unit_given": "karung", "unit": "karton"},
    "errors/order_too_long": {"max_lines": 200, "max_chars": 4096},
    "errors/order_line_invalid": {"raw": "Terima kasih <3"},
    "errors/order_line_no_match": {
        "raw": "susu <3>",
        "suggestions": [{"code": "IDMLK-SKM", "name": "Indomilk kental manis 370 g"}],
    },
    "errors/order_count_word": {
        "product_code": "IDM-GRG",
        "name": "Indomie Mi Goreng",
        "unit": "karton",
        "unit_given": "lusin",
        "per": 12,
    },
    "errors/order_line_duplicate": {"product_code": "BRS5", "first_line_no": 2},
}
