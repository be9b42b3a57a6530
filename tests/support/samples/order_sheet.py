"""Sample contexts for a sheet of orders: recorded, refused, and its import problems."""

from __future__ import annotations

from datetime import UTC, datetime

from purchasing.errors import OverCoopMaximum, RoundClosing, UnknownCoop
from purchasing.model import CommitmentChange, RoundItem
from spreadsheets import errors as e
from spreadsheets.orders import SheetOrder
from usecases.order_sheet import CoopOrders, SheetRecorded, sheet_refused

_RICE = RoundItem(
    product_code="BRS-SPHP50", name="Beras <SPHP> 50 kg", supplier_code="BULOG",
    unit="karung", contents="50 kg", market_price=675_000, tiers=(), moq=20, max_per_coop=20,
)  # fmt: skip
_RECORDED = SheetRecorded(
    "pesanan-desember.csv",
    1,
    [
        CoopOrders("DT", [CommitmentChange(0, 20, _RICE, 20), CommitmentChange(5, 5, _RICE, 25)]),
        CoopOrders("KKPITB", [CommitmentChange(3, 0, _RICE, 22)]),
    ],
).context()
_LINE = SheetOrder(4, "KKPITB", "BRS-SPHP50", 25)
_OVER = OverCoopMaximum(
    product_code="BRS-SPHP50", name="Beras <SPHP> 50 kg", unit="karung", quantity=25,
    maximum=20,
)  # fmt: skip
_CLOSING = RoundClosing(
    round_name="Belanja Bareng Desember", closing_since=datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
)
_REFUSED = sheet_refused(
    "pesanan-desember.csv",
    [(_LINE, _OVER), (_LINE, UnknownCoop(coop_code="X")), (_LINE, _CLOSING)],
)
_PROBLEMS = [
    e.BadQuantity(file="pesanan.csv", row=3, column="C (jumlah)", value="2,5"),
    e.DuplicateOrder(file="pesanan.csv", row=5, column="B (produk)", value="DT GLP-50",
                     first_row=2),
]  # fmt: skip

SAMPLES: dict[str, dict[str, object]] = {
    "cli/orders_recorded": _RECORDED,
    "admin_orders_recorded": _RECORDED,
    "errors/order_sheet_refused": _REFUSED.params,
} | {f"errors/{problem.key}": problem.params for problem in _PROBLEMS}
