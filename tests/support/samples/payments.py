"""Sample contexts for payments: a statement imported, what is owed, a receipt."""

from __future__ import annotations

from datetime import UTC, date, datetime

from purchasing.settlement import BillDue, CreditMatch, MatchKind, StatementLine

_DT = BillDue(7, "Belanja Bareng November", "DT", "Kopontren <Daarut> Tauhid", 1_250_000, 0)
_KKP = BillDue(
    7, "Belanja Bareng November", "KKPITB", "KKP ITB", 500_000, 0,
    supplier_code="BULOG", supplier_name="Perum <Bulog>",
)  # fmt: skip
_KKP_INDOFOOD = BillDue(
    7, "Belanja Bareng November", "KKPITB", "KKP ITB", 90_000, 0,
    supplier_code="INDOFOOD", supplier_name="PT Indofood",
)  # fmt: skip
_LINE = StatementLine(4, date(2026, 12, 7), "TRSF TG-007-DT <Bu Siti>", 1_000_000)
_IMPORTED = {
    "file": "mutasi-desember.csv",
    "paid": [CreditMatch(_LINE, MatchKind.PAID, _DT)],
    "already_paid": [
        CreditMatch(_LINE, MatchKind.ALREADY_PAID, _KKP),
        CreditMatch(_LINE, MatchKind.ALREADY_PAID, candidates=(_KKP, _KKP_INDOFOOD)),
    ],
    "several": [CreditMatch(_LINE, MatchKind.SEVERAL, candidates=(_KKP, _DT))],
    "no_supplier": [CreditMatch(_LINE, MatchKind.NO_SUPPLIER, candidates=(_KKP, _KKP_INDOFOOD))],
    "ambiguous": [CreditMatch(_LINE, MatchKind.AMBIGUOUS, candidates=(_DT, _KKP))],
    "unmatched": [
        CreditMatch(_LINE, MatchKind.UNMATCHED),
        CreditMatch(StatementLine(9, date(2026, 12, 31), "BUNGA", 1_234, 56), MatchKind.UNMATCHED),
    ],
    "repeated": 3,
    "debits": 2,
}

SAMPLES: dict[str, dict[str, object]] = {
    "cli/payments_imported": _IMPORTED,
    "admin_statement_imported": _IMPORTED,
    "statement_lines": _IMPORTED,
    "cli/payments_outstanding": {
        "bills": [_DT, _KKP],
        "total": 1_750_000,
        "round": None,
        "any_closed": True,
    },
    "admin_payments": {"bills": [_DT, _KKP], "total": 1_750_000, "round": None, "any_closed": True},
    "admin_payments_usage": {},
    "payment_reminder": {
        "number": "TG-007-DT",
        "round_name": "Belanja Bareng November",
        "supplier": "Perum <Bulog>",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "total": 1_250_000,
        "paid": 1_000_000,
        "balance": 250_000,
        "due_at": datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
    },
    "payment_proof_received": {
        "proof_id": 4,
        "number": "TG-007-DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "balance": 250_000,
        "round_name": "Belanja Bareng November",
        "bills": [
            {"number": "TG-007-DT-BULOG", "supplier": "Perum <Bulog>", "balance": 250_000},
            {"number": "TG-007-DT-INDOFOOD", "supplier": "PT Indofood", "balance": 90_000},
        ],
    },
    "payment_proof_rejected": {
        "number": "TG-007-DT-BULOG",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "balance": 250_000,
        "reason": "nominal <tidak> terbaca",
        "round_name": "Belanja Bareng November",
        "to_suppliers": True,
        "bills": [
            {"number": "TG-007-DT-BULOG", "supplier": "Perum <Bulog>", "balance": 250_000},
            {"number": "TG-007-DT-INDOFOOD", "supplier": "PT Indofood", "balance": 90_000},
        ],
    },
    "buttons/proof_accept": {"balance": 250_000, "supplier": "Perum <Bulog>"},
    "buttons/proof_reject": {},
    "proof_received": {"number": "TG-007-DT", "balance": 250_000, "to_supplier": ""},
    "how_to_pay": {"bill": _DT, "bills": [_DT]},
    "proof_again": {"file": "bukti <transfer>.jpg"},
    "errors/proof_wrong_type": {"file": "bukti.docx", "suffix": ".docx"},
    "errors/proof_too_big": {"file": "bukti.pdf", "limit_mb": 2},
    "admin_proof_verified": {"bill": _DT},
    "admin_proof_rejected": {"coop_code": "DT"},
    "admin_verify_usage": {},
    "admin_reject_usage": {},
    "errors/unknown_proof": {"proof_id": 99},
    "payment_received": {
        "number": "TG-007-DT",
        "round_name": "Belanja Bareng November",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "amount": 1_000_000,
        "paid_on": "2026-12-07",
        "balance": 250_000,
    },
}
