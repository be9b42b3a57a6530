"""Values of the purchasing domain (see DESIGN.md, "Words").

Money is integer Rupiah. Datetimes are timezone-aware and in UTC; showing them in WIB is
the job of `messages/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class PriceTier:
    """From `min_total` units ordered by everybody together, every unit costs `unit_price`."""

    min_total: int
    unit_price: int


@dataclass(frozen=True, slots=True)
class Coop:
    """A member cooperative (koperasi)."""

    code: str
    name: str
    address: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True)
class Supplier:
    """Who sells the goods (pemasok)."""

    code: str
    name: str
    contact: str = ""
    account: str = ""  # bank account (rekening) to pay into, free text: "BRI 0123-… a.n. …"


@dataclass(frozen=True, slots=True)
class Product:
    """A catalog item (produk). `tiers` is sorted by `min_total`; the first tier starts at 1."""

    code: str
    name: str
    supplier_code: str
    unit: str
    contents: str
    market_price: int
    tiers: tuple[PriceTier, ...]
    moq: int | None = None
    max_per_coop: int | None = None
    supply_cap: int | None = None


class RepRole(StrEnum):
    TREASURER = "treasurer"
    SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class Rep:
    """A chat identity allowed to act for a coop (or, with role SUPPLIER, for a supplier)."""

    platform: str
    user_id: str
    coop_code: str
    role: RepRole = RepRole.TREASURER
    display_name: str = ""


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class MoqPolicy(StrEnum):
    """What happens at the deadline when an item misses its MOQ."""

    DROP = "drop"
    EXTEND = "extend"


@dataclass(frozen=True, slots=True)
class RoundItem:
    """A product as offered in one round: a snapshot taken when the round opens."""

    product_code: str
    name: str
    supplier_code: str
    unit: str
    contents: str
    market_price: int
    tiers: tuple[PriceTier, ...]
    moq: int | None = None
    max_per_coop: int | None = None
    supply_cap: int | None = None

    @classmethod
    def snapshot(cls, product: Product) -> RoundItem:
        return cls(
            product_code=product.code,
            name=product.name,
            supplier_code=product.supplier_code,
            unit=product.unit,
            contents=product.contents,
            market_price=product.market_price,
            tiers=product.tiers,
            moq=product.moq,
            max_per_coop=product.max_per_coop,
            supply_cap=product.supply_cap,
        )


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """What staff ask for when they create a round (`purchasing.rounds.check_plan` judges it).

    `product_codes` empty means every product of the catalog that is not retired.
    """

    name: str
    opens_at: datetime
    closes_at: datetime
    product_codes: tuple[str, ...] = ()
    delivery_note: str = ""
    moq_policy: MoqPolicy = MoqPolicy.DROP
    extend_hours: int = 0


@dataclass(frozen=True, slots=True)
class Round:
    """One joint-purchasing cycle (putaran). See `purchasing.rounds` for its state machine."""

    id: int
    name: str
    opens_at: datetime
    closes_at: datetime
    status: RoundStatus
    items: tuple[RoundItem, ...] = ()
    delivery_note: str = ""
    moq_policy: MoqPolicy = MoqPolicy.DROP
    extend_hours: int = 0
    extended: bool = False
    # When its deadline was last moved later (by staff, or its MOQ extension); None if never.
    # The reminders planned before then are not sent: the extension notice told everyone.
    extended_at: datetime | None = None
    # When it really closed (None until then): earlier than `closes_at` when staff closed it
    # early, later when the close ran after a restart.
    closed_at: datetime | None = None
    # When staff confirmed closing it early (None otherwise): it takes no order from then on
    # and is closed as soon as its outcome is written (`purchasing.rounds.stop_orders`).
    closing_since: datetime | None = None
    # The items by product code, made once per Round (a sheet of 300,000 orders asks a lot).
    _by_code: dict[str, RoundItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {item.product_code: item for item in self.items})

    def item(self, product_code: str) -> RoundItem | None:
        return self._by_code.get(product_code)

    @property
    def orders_ended_at(self) -> datetime:
        """When orders stopped: the deadline, or when staff closed it (or started closing
        it) before that."""
        moments = (self.closes_at, self.closing_since, self.closed_at)
        return min(at for at in moments if at is not None)


@dataclass(frozen=True, slots=True)
class Commitment:
    """A coop's quantity of one product in one round (pesanan).

    `created_at` is when the coop ordered the product: a change keeps it, but an order
    removed (quantity 0) and placed again has the time of the new order. Allocation under
    a supply cap breaks ties by it (docs/rules.md).
    """

    round_id: int
    coop_code: str
    product_code: str
    quantity: int
    actor: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change of a commitment: who, when, old -> new, through which chat and message."""

    round_id: int
    coop_code: str
    product_code: str
    old_quantity: int
    new_quantity: int
    actor: str
    via: str
    message_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CommitmentChange:
    """What setting one quantity did: `old` → `new` units of `item` (equal when nothing
    changed), and the round's `total` of that product right after it (all coops)."""

    old: int
    new: int
    item: RoundItem
    total: int

    @property
    def total_before(self) -> int:
        return self.total - (self.new - self.old)

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True, slots=True)
class Invite:
    """A code an admin hands out so a treasurer can link their chat to a coop, or a
    supplier's rep to that supplier (`role` SUPPLIER: `coop_code` is the supplier's code)."""

    code: str
    coop_code: str
    max_uses: int | None
    uses: int
    expires_at: datetime | None
    created_by: str
    created_at: datetime
    role: RepRole = RepRole.TREASURER


@dataclass(frozen=True, slots=True)
class Admin:
    """Dinas staff: may run every admin action (`added_by` "config": listed in the config
    file, added again at every start)."""

    platform: str
    user_id: str
    display_name: str
    added_by: str
    added_at: datetime
