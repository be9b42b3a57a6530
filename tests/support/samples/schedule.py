"""Sample contexts of the reminder, close summary and extension templates.

Built with the same context builders the code uses, from an outcome with a filled, a cut and
an unfilled product, so the samples exercise every branch of the templates.
"""

from __future__ import annotations

from datetime import timedelta

from purchasing.estimate import Estimate
from purchasing.model import Coop, MoqPolicy, Supplier
from purchasing.outcome import RoundOutcome, compute_outcome
from tests.support.builders import (
    NOW,
    make_commitment,
    make_coop,
    make_product,
    make_round,
    make_supplier,
)
from tests.support.samples.estimate import ESTIMATE
from usecases.notices.reminders import estimate_context, order_example
from usecases.notices.summary_contexts import (
    bill_context,
    extension_context,
    overview_context,
    purchase_order_context,
    result_context,
    supplier_bill,
)

PRODUCTS = (
    make_product("GLP1"),
    make_product("BRS5", name="Beras medium 5 kg", unit="karung", supply_cap=30),
    make_product("MNY2", name="Minyak goreng 2 L", unit="karton", moq=50),
)
ROUND = make_round(*PRODUCTS, moq_policy=MoqPolicy.EXTEND, extend_hours=24)
COOPS = (make_coop("KOP01", address="Jl. Cibaduyut 12"), make_coop("KOP02"))
COMMITMENTS = (
    make_commitment("KOP01", "GLP1", 60),
    make_commitment("KOP01", "BRS5", 20),
    make_commitment("KOP02", "BRS5", 20, created_at=NOW + timedelta(minutes=5)),
    make_commitment("KOP01", "MNY2", 10),
)


def sample_outcome() -> RoundOutcome:
    return compute_outcome(ROUND, COMMITMENTS, COOPS, [make_supplier("BULOG")])


def _samples() -> dict[str, dict[str, object]]:
    outcome = sample_outcome()
    products = {product.product_code: product for product in outcome.products}
    coops: dict[str, Coop] = {coop.code: coop for coop in COOPS}
    payees = {"BULOG": Supplier("BULOG", "Perum <Bulog>", "022-0201", "BRI 0123 a.n. Bulog")}
    totals = {"GLP1": 60, "BRS5": 40, "MNY2": 10}
    ordered_coop = {
        "coop_code": "KOP01",
        "coop_name": "Koperasi KOP01",
        "lines": [
            {"product_code": "GLP1", "name": "Gula pasir 50 kg", "unit": "karung",
             "quantity": 60, "unit_price": 720_000, "subtotal": 43_200_000, "short_of_moq": 0},
            {"product_code": "MNY2", "name": "Minyak goreng 2 L", "unit": "karton",
             "quantity": 10, "unit_price": 750_000, "subtotal": 7_500_000, "short_of_moq": 40},
        ],
        "total": 50_700_000,
        "estimate": estimate_context(ESTIMATE),
    }  # fmt: skip
    waiting_coop = {
        "coop_code": "KOP02", "coop_name": "Koperasi KOP02", "lines": [], "total": 0,
        "estimate": estimate_context(Estimate(())),
    }  # fmt: skip
    reminder = {
        "round_id": 1,
        "round_name": ROUND.name,
        "closes_at": ROUND.closes_at,
        "example": order_example(ROUND),
    }
    return {
        "reminder_nudge": {**reminder, "coops": [waiting_coop]},
        "reminder_order": {**reminder, "coops": [ordered_coop, waiting_coop]},
        "summary_bill": bill_context(ROUND, outcome.bills[0], products, payees),
        "bill_to_supplier": {
            **supplier_bill(ROUND, outcome.bills[0], payees["BULOG"]),
            "round_name": ROUND.name,
        },
        "summary_group": result_context(ROUND, outcome),
        "summary_overview": overview_context(ROUND, outcome),
        "summary_purchase_order": {
            **purchase_order_context(ROUND, outcome.purchase_orders[0], coops),
            "awaiting_confirmation": True,
            "for_staff": True,  # as `/tagihan KODE` shows it to Dinas staff
        },
        "buttons/supplier_confirm_all": {"days": 2},
        "round_extended_moq": extension_context(ROUND, totals, [coops["KOP01"]]),
    }


SAMPLES: dict[str, dict[str, object]] = _samples()
