"""Builders of domain values with sensible defaults; override only what a test is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from purchasing.model import (
    Commitment,
    Coop,
    MoqPolicy,
    PriceTier,
    Product,
    Round,
    RoundItem,
    RoundStatus,
    Supplier,
)

# Monday 3 March 2025, 10:00 WIB.
NOW = datetime(2025, 3, 3, 3, 0, tzinfo=UTC)


def tiers(*pairs: tuple[int, int]) -> tuple[PriceTier, ...]:
    """`tiers((1, 125_000), (50, 118_000))`: (min_total, unit_price) pairs."""
    return tuple(PriceTier(min_total, unit_price) for min_total, unit_price in pairs)


def make_coop(code: str = "KOP01", name: str | None = None, **overrides: str) -> Coop:
    return Coop(code=code, name=name or f"Koperasi {code}", **overrides)


def make_supplier(code: str = "BULOG", name: str | None = None, contact: str = "") -> Supplier:
    return Supplier(code=code, name=name or f"Pemasok {code}", contact=contact)


def make_product(
    code: str = "GLP1",
    *,
    name: str = "Gula pasir 50 kg",
    supplier_code: str = "BULOG",
    unit: str = "karung",
    contents: str = "50 kg",
    market_price: int = 800_000,
    price_tiers: Sequence[tuple[int, int]] = ((1, 750_000), (50, 720_000), (100, 700_000)),
    moq: int | None = None,
    max_per_coop: int | None = None,
    supply_cap: int | None = None,
) -> Product:
    return Product(
        code=code,
        name=name,
        supplier_code=supplier_code,
        unit=unit,
        contents=contents,
        market_price=market_price,
        tiers=tiers(*price_tiers),
        moq=moq,
        max_per_coop=max_per_coop,
        supply_cap=supply_cap,
    )


def make_round_item(product: Product | None = None) -> RoundItem:
    """A round item snapshotted from `product` (default `make_product()`)."""
    return RoundItem.snapshot(product or make_product())


def make_round(
    *products: Product,
    round_id: int = 1,
    name: str = "Belanja Bareng Maret",
    status: RoundStatus = RoundStatus.OPEN,
    opens_at: datetime = NOW,
    closes_at: datetime | None = None,
    delivery_note: str = "Diantar ke koperasi minggu depan",
    moq_policy: MoqPolicy = MoqPolicy.DROP,
    extend_hours: int = 0,
    extended: bool = False,
    closed_at: datetime | None = None,
) -> Round:
    """A round offering `products` (default: one `make_product()`), open until NOW + 2 days."""
    offered = products or (make_product(),)
    return Round(
        id=round_id,
        name=name,
        opens_at=opens_at,
        closes_at=closes_at or opens_at + timedelta(days=2),
        status=status,
        items=tuple(RoundItem.snapshot(product) for product in offered),
        delivery_note=delivery_note,
        moq_policy=moq_policy,
        extend_hours=extend_hours,
        extended=extended,
        closed_at=closed_at,
    )


def make_commitment(
    coop_code: str = "KOP01",
    product_code: str = "GLP1",
    quantity: int = 1,
    *,
    round_id: int = 1,
    actor: str = "telegram:1001",
    created_at: datetime = NOW,
    updated_at: datetime | None = None,
) -> Commitment:
    return Commitment(
        round_id=round_id,
        coop_code=coop_code,
        product_code=product_code,
        quantity=quantity,
        actor=actor,
        created_at=created_at,
        updated_at=updated_at or created_at,
    )
