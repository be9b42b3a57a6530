"""Sample contexts for the error templates of `storage.errors` (rendered by a shared test)."""

from __future__ import annotations

from datetime import UTC, datetime

SAMPLES: dict[str, dict[str, object]] = {
    "errors/another_round_open": {
        "round_id": 3,
        "round_name": "Belanja Bareng Maret",
        "closes_at": datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
    },
    "errors/storage_error": {},
    "errors/invite_unknown": {"code": "Xy3_k-9QzP1mWv0a"},
    "errors/invite_expired": {
        "coop_code": "KOPPES01",
        "expires_at": datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
    },
    "errors/invite_used_up": {"coop_code": "KOPPES01", "max_uses": 3},
    "errors/unknown_round": {"round_id": 12},
    "errors/unknown_supplier": {"supplier_code": "BULOG", "product_code": "BERAS5"},
}
