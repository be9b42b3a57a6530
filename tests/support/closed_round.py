"""A closed round of three coops and three products, written down by hand: what the export
tests write to XLSX and CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from purchasing.model import AuditEntry, Round, RoundStatus
from purchasing.outcome import (
    Bill,
    BillLine,
    LineStatus,
    Overview,
    ProductResult,
    PurchaseOrder,
    PurchaseOrderLine,
    RoundOutcome,
)
from tests.support.builders import make_coop, make_product, make_round

COOPS = [
    make_coop("ATTAQWA", "Kojamas At-Taqwa"),
    make_coop("DT", "Kopontren Daarut Tauhid"),
    make_coop("KKPITB", "KKP ITB"),
]
SUGAR = make_product("GLP-50", name="Gula pasir 50 kg", market_price=900_000)
OIL = make_product("MKITA-1L", name="Minyakita 1 L", unit="dus", market_price=204_000)
NOODLES = make_product("IDM-GRG", name="Indomie goreng", unit="karton", market_price=132_000)
# 10:00 WIB on 28 November 2026.
CLOSES_AT = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def the_round() -> Round:
    return make_round(
        SUGAR,
        OIL,
        NOODLES,
        round_id=7,
        name="Belanja Bareng November",
        status=RoundStatus.CLOSED,
        opens_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
        closes_at=CLOSES_AT,
    )


def bill_line(product: ProductResult, asked: int, allocated: int) -> BillLine:
    if not product.filled:
        status = LineStatus.UNFILLED
    else:
        status = LineStatus.CUT if allocated < asked else LineStatus.FILLED
    return BillLine(
        product.product_code, product.name, product.unit, asked, allocated,
        product.unit_price, product.market_price, status,
    )  # fmt: skip


def the_outcome() -> RoundOutcome:
    sugar = ProductResult(
        "GLP-50", "Gula pasir 50 kg", "BULOG", "karung", 60, 60, 855_000, 900_000, 5, None, True
    )
    oil = ProductResult(
        "MKITA-1L", "Minyakita 1 L", "BULOG", "dus", 320, 300, 183_000, 204_000, 30, 300, True
    )
    noodles = ProductResult(
        "IDM-GRG", "Indomie goreng", "INDOFOOD", "karton", 20, 0, None, 132_000, 50, None, False
    )
    note = "Diantar Senin, 30 November"
    bills = (
        Bill("ATTAQWA", "Kojamas At-Taqwa", (bill_line(oil, 120, 112),), note),
        Bill("DT", "Kopontren Daarut Tauhid",
             (bill_line(sugar, 40, 40), bill_line(oil, 200, 188)), note),
        Bill("KKPITB", "KKP ITB", (bill_line(sugar, 20, 20), bill_line(noodles, 20, 0)), note),
    )  # fmt: skip
    order = PurchaseOrder(
        "BULOG",
        "Perum Bulog",
        (
            PurchaseOrderLine("GLP-50", "Gula pasir 50 kg", "karung", 60, 855_000,
                              (("DT", 40), ("KKPITB", 20))),
            PurchaseOrderLine("MKITA-1L", "Minyakita 1 L", "dus", 300, 183_000,
                              (("ATTAQWA", 112), ("DT", 188))),
        ),
    )  # fmt: skip
    overview = Overview(
        coops_invited=20,
        coops_ordered=3,
        order_value=sum(bill.total for bill in bills),
        market_value=60 * 900_000 + 300 * 204_000,
        unfilled=(noodles,),
        cut=(oil,),
    )
    return RoundOutcome(7, (sugar, oil, noodles), bills, (order,), overview)


AUDIT = [
    AuditEntry(7, "DT", "MKITA-1L", 150, 200, "telegram:42", "telegram", "m2",
               datetime(2026, 11, 25, 9, 30, tzinfo=UTC)),
    AuditEntry(7, "DT", "MKITA-1L", 0, 150, "telegram:42", "telegram", "m1",
               datetime(2026, 11, 22, 1, 5, tzinfo=UTC)),
]  # fmt: skip
