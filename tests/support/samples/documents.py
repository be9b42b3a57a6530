"""Sample contexts for the PDF documents' texts, built the way `bot.documents.Papers` does."""

from __future__ import annotations

from datetime import timedelta

from bot.config import OfficeConfig
from purchasing.model import Coop
from tests.support.builders import NOW, make_round

_OFFICE = OfficeConfig(
    address="Jl. Kawaluyaan Indah Raya No. 4, Bandung", contact="022-7302525",
    signatory="Kepala Bidang Koperasi", payment_instructions="Transfer ke Bank BJB 0001234567890",
    payment_terms="Dibayar 14 hari setelah barang diterima.",
)  # fmt: skip
_COOP = Coop("KSU01", 'KSU "Maju & Berkah" — Café Ñusantara', "Jl. Dago 1", "0812")
_BASE = {"round_name": "Belanja Bareng Desember", "issued_at": NOW, "office": _OFFICE}
_SUPPLIER = {"code": "BULOG", "name": "Perum Bulog", "contact": ""}
_PAYEE = {"code": "BULOG", "name": "Perum <Bulog>", "contact": "022-0201",
          "account": "BRI 0123-01 a.n. Perum Bulog"}  # fmt: skip

SAMPLES: dict[str, dict[str, object]] = {
    "documents/bill_title": {},
    "documents/bill_facts": {
        **_BASE,
        "number": "TG-007-KSU01-BULOG",
        "coop": _COOP,
        "due_at": NOW + timedelta(days=7),
        "payee": _PAYEE,
    },
    "documents/bill_columns": {"received": False},
    "documents/bill_closing": {
        **_BASE,
        "number": "TG-007-KSU01",
        "payee": None,
        "total": 1_250_000,
        "saving": 75_000,
        "unfilled": ["Minyak goreng 2 L"],
        "cut": ["Beras SPHP 50 kg"],
        "missing": ["Gula pasir 50 kg"],
        "delivery_note": "Diantar Senin ke sekretariat",
        "received": True,
    },
    "documents/purchase_order_title": {},
    "documents/purchase_order_facts": {**_BASE, "number": "SP-007-BULOG", "supplier": _SUPPLIER},
    "documents/purchase_order_columns": {},
    "documents/purchase_order_delivery_columns": {},
    "documents/purchase_order_closing": {
        **_BASE,
        "number": "SP-007-BULOG",
        "supplier": _SUPPLIER,
        "total": 8_700_000,
        "delivery_note": "",
    },
    "documents/signature": _BASE,
    "document_none": {
        "party": _COOP,
        "round": make_round(name="Belanja Bareng Desember"),
        "supplier": False,
        "round_open": True,
    },
    "errors/document_of_another": {"staff": False, "code": "KK<PITB>", "own": "coop"},
}
