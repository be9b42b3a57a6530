"""The outcome of closing a round: bills, purchase orders and the Dinas overview.

`compute_outcome` is the one function that turns a round's price snapshot and its
commitments into these values; it is pure and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LineStatus(StrEnum):
    FILLED = "filled"  # ordered in full at the price reached
    CUT = "cut"  # the supply cap was reached: fewer units than asked
    UNFILLED = "unfilled"  # the product missed its MOQ: not ordered at all


@dataclass(frozen=True, slots=True)
class ProductResult:
    """One product of the round at close."""

    product_code: str
    name: str
    supplier_code: str
    unit: str
    total_asked: int
    total_allocated: int
    unit_price: int | None  # the tier price reached; None when unfilled
    market_price: int
    moq: int | None
    supply_cap: int | None
    filled: bool

    @property
    def short_of_moq(self) -> int:
        """How many more units the MOQ needed (0 when it was met or there is none)."""
        if self.moq is None:
            return 0
        return max(0, self.moq - self.total_asked)


@dataclass(frozen=True, slots=True)
class BillLine:
    product_code: str
    name: str
    unit: str
    asked: int
    allocated: int
    unit_price: int | None
    market_price: int
    status: LineStatus

    @property
    def subtotal(self) -> int:
        return self.allocated * (self.unit_price or 0)

    @property
    def saving(self) -> int:
        """Against the reference market price, for the units actually bought."""
        if self.unit_price is None:
            return 0
        return self.allocated * (self.market_price - self.unit_price)


@dataclass(frozen=True, slots=True)
class Bill:
    """What one coop gets and pays (tagihan)."""

    coop_code: str
    coop_name: str
    lines: tuple[BillLine, ...]
    delivery_note: str

    @property
    def total(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def saving(self) -> int:
        return sum(line.saving for line in self.lines)


@dataclass(frozen=True, slots=True)
class PurchaseOrderLine:
    product_code: str
    name: str
    unit: str
    quantity: int
    unit_price: int
    per_coop: tuple[tuple[str, int], ...]  # (coop code, allocated units), by coop code

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    """What one supplier delivers (pesanan pembelian)."""

    supplier_code: str
    supplier_name: str
    lines: tuple[PurchaseOrderLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True, slots=True)
class Overview:
    """For the Dinas: participation, value, savings, what missed and what was cut."""

    coops_invited: int
    coops_ordered: int
    order_value: int
    market_value: int
    unfilled: tuple[ProductResult, ...]
    cut: tuple[ProductResult, ...]

    @property
    def savings(self) -> int:
        return self.market_value - self.order_value


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    round_id: int
    products: tuple[ProductResult, ...]
    bills: tuple[Bill, ...]
    purchase_orders: tuple[PurchaseOrder, ...]
    overview: Overview
