"""Sample contexts for the error templates of `storage.errors` (rendered by a shared test)."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "errors/storage_error": {},
    "errors/invite_unknown": {"code": "Xy3_k-9QzP1mWv0a"},
    "errors/unknown_round": {"round_id": 12},
    "errors/unknown_supplier": {"supplier_code": "BULOG", "product_code": "BERAS5"},
}
