"""Sample contexts for a supplier's confirmation and the revised bills it causes."""

from __future__ import annotations

_SHORT = [
    {
        "product_code": "GLP-50",
        "name": "Gula <pasir> 50 kg",
        "unit": "karung",
        "ordered": 10,
        "shipped": 7,
    }
]

SAMPLES: dict[str, dict[str, object]] = {
    "bill_revised": {
        "round_name": "Belanja Bareng Desember",
        "supplier": "Perum Bulog",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "lines": [
            {
                "product_code": "GLP-50",
                "name": "Gula pasir 50 kg",
                "unit": "karung",
                "old": 6,
                "new": 4,
            }
        ],
        "total": 3_480_000,
        "delivery_on": "2026-12-10",
        "deliveries": [{"supplier": "Perum <Bulog>", "delivery_on": "2026-12-10"}],
        "all_scheduled": True,
    },
    "delivery_scheduled": {
        "round_name": "Belanja Bareng Desember",
        "supplier": "Perum Bulog",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "lines": [],
        "total": 5_130_000,
        "delivery_on": "2026-12-10",
        "deliveries": [
            {"supplier": "Perum Bulog", "delivery_on": "2026-12-10"},
            {"supplier": "PT Indofood", "delivery_on": "2026-12-11"},
        ],
        "all_scheduled": True,
    },
    "buttons/receipt_all": {},
    "supplier_confirmed": {
        "round_name": "Belanja Bareng Desember",
        "supplier": "Perum Bulog",
        "delivery_on": "2026-12-10",
        "shortages": _SHORT,
        "coops_changed": 2,
    },
    "supplier_confirm_done": {
        "round_name": "Belanja Bareng Desember",
        "delivery_on": "2026-12-10",
        "shortages": _SHORT,
    },
    "supplier_confirm_usage": {"max_days": 60},
    "receipt_short": {
        "round_name": "Belanja Bareng Desember",
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "lines": [
            {"product_code": "GLP-50", "name": "Gula <pasir>", "unit": "karung", "old": 4, "new": 3}
        ],
    },
    "receipt_done": {
        "round_name": "Belanja Bareng Desember",
        "lines": [
            {"product_code": "GLP-50", "name": "Gula <pasir>", "unit": "karung", "old": 4, "new": 3}
        ],
        "total": 2_565_000,
    },
    "supplier_only": {},
    "buttons/receipt_photo": {},
    "receipt_photo_ask": {},
    "receipt_photo_received": {"file": "barang <rusak>.jpg"},
    "receipt_photo": {
        "round_name": "Belanja Bareng Desember",
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "products": ["Gula <pasir> 50 kg"],
    },
}
