"""More reports across closed rounds, for the Dinas: prices reached, suppliers' delivery and
coops' payment discipline. Pure: what the closes and the steps after them stored goes in,
report values come out (the savings and participation reports are `purchasing.reports`).

- `price_report`: per product, the unit price reached in each closed round that offered it
  (None where nothing was bought: no orders, or a total below the MOQ) beside the round's
  market price, and the change from the last earlier round in which a price was reached.
- `supplier_report`: per closed round and supplier, the units ordered at the close, the units
  the supplier confirmed (ordered less its shortage), the units delivered (what the coops
  that confirmed their receipt say arrived), and the days late: the last receipt day (in the
  office's zone) after the delivery day the supplier confirmed, 0 when none was after it,
  None until both are known.
- `payment_report`: per coop, its bills of the closed rounds paid on time (in full on or
  before the due day the bill carries, `purchasing.paperwork.due_date`), paid late, and
  still outstanding (how many, and the amount owed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from purchasing.paperwork import due_date
from purchasing.reports import ClosedRoundRef
from purchasing.settlement import BillDue
from purchasing.times import WIB


def _by_close(rounds: Iterable[ClosedRoundRef]) -> list[ClosedRoundRef]:
    return sorted(set(rounds), key=lambda r: (r.closed_at, r.id))


# -- prices reached ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One product of a closed round as its close stored it."""

    round: ClosedRoundRef
    product_code: str
    product_name: str
    unit: str
    unit_price: int | None  # the price reached; None when below its MOQ (not ordered)
    # (a price with no units bought counts as none reached)
    market_price: int
    units: int  # total allocated at the close


@dataclass(frozen=True, slots=True)
class PricePoint:
    round: ClosedRoundRef
    unit_price: int | None
    market_price: int
    units: int
    change: int | None  # from the previous round with a price reached; None: no such round


@dataclass(frozen=True, slots=True)
class ProductPrices:
    code: str
    name: str  # as the latest round offering it named it
    unit: str
    points: tuple[PricePoint, ...]  # oldest close first


@dataclass(frozen=True, slots=True)
class PriceReport:
    rounds: tuple[ClosedRoundRef, ...]  # oldest close first
    products: tuple[ProductPrices, ...]  # by code


def price_report(lines: Iterable[PriceLine]) -> PriceReport:
    """Each product's price reached over the closed rounds that offered it."""
    by_product: dict[str, list[PriceLine]] = defaultdict(list)
    for line in lines:
        by_product[line.product_code].append(line)
    products = []
    for code in sorted(by_product):
        ordered = sorted(by_product[code], key=lambda p: (p.round.closed_at, p.round.id))
        points, before = [], None
        for line in ordered:
            price = line.unit_price if line.units > 0 else None
            change = None
            if price is not None and before is not None:
                change = price - before
            points.append(PricePoint(line.round, price, line.market_price, line.units, change))
            if price is not None:
                before = price
        latest = ordered[-1]
        products.append(ProductPrices(code, latest.product_name, latest.unit, tuple(points)))
    rounds = _by_close(p.round for lines_ in by_product.values() for p in lines_)
    return PriceReport(tuple(rounds), tuple(products))


# -- suppliers' delivery ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplyLine:
    """One coop's goods from one supplier in a closed round, as the steps after the close
    left them: `allocated` now, and the units taken off since by the supplier's shortage and
    by the coop's receipt (`bill_changes`)."""

    round: ClosedRoundRef
    supplier_code: str
    supplier_name: str
    coop_code: str
    allocated: int
    shortage: int
    not_received: int
    delivery_on: date | None  # the day the supplier confirmed; None: not confirmed
    received_at: datetime | None  # when the coop confirmed its receipt; None: not yet


@dataclass(frozen=True, slots=True)
class SupplierRound:
    round: ClosedRoundRef
    supplier_code: str
    supplier_name: str
    ordered: int
    confirmed: int | None  # None until the supplier confirmed
    delivered: int  # units the coops that confirmed their receipt got
    coops: int  # coops it delivers to
    coops_received: int  # of them, how many confirmed their receipt
    delivery_on: date | None
    last_received_on: date | None
    days_late: int | None


@dataclass(frozen=True, slots=True)
class SupplierReport:
    rounds: tuple[SupplierRound, ...]  # oldest close first, then by supplier code


def supplier_report(lines: Iterable[SupplyLine], zone: tzinfo = WIB) -> SupplierReport:
    """Every supplier's delivery in every closed round; receipt days in `zone`."""
    grouped: dict[tuple[ClosedRoundRef, str], list[SupplyLine]] = defaultdict(list)
    for line in lines:
        grouped[(line.round, line.supplier_code)].append(line)
    found = [_supplier_round(group, zone) for group in grouped.values()]
    found.sort(key=lambda s: (s.round.closed_at, s.round.id, s.supplier_code))
    return SupplierReport(tuple(found))


def _supplier_round(lines: Sequence[SupplyLine], zone: tzinfo) -> SupplierRound:
    first = lines[0]
    ordered = sum(line.allocated + line.shortage + line.not_received for line in lines)
    confirmed = None
    if first.delivery_on is not None:
        confirmed = sum(line.allocated + line.not_received for line in lines)
    received = [line for line in lines if line.received_at is not None]
    days = [line.received_at.astimezone(zone).date() for line in received if line.received_at]
    last = max(days) if days else None
    late = None
    if last is not None and first.delivery_on is not None:
        late = max(0, (last - first.delivery_on).days)
    return SupplierRound(
        round=first.round,
        supplier_code=first.supplier_code,
        supplier_name=first.supplier_name,
        ordered=ordered,
        confirmed=confirmed,
        delivered=sum(line.allocated for line in received),
        coops=len({line.coop_code for line in lines}),
        coops_received=len({line.coop_code for line in received}),
        delivery_on=first.delivery_on,
        last_received_on=last,
        days_late=late,
    )


@dataclass(frozen=True, slots=True)
class SupplierSums:
    """One supplier's goods in a closed round already summed up (as the database sums them
    from what the close kept and the steps after it): `SupplyLine`s of one round and
    supplier, added together."""

    round: ClosedRoundRef
    supplier_code: str
    supplier_name: str
    ordered: int  # units allocated at the close
    shortage: int  # units its shortage took off since
    coops: int  # coops with goods of it
    delivery_on: date | None
    delivered: int  # units now allocated to the coops that confirmed their receipt
    coops_received: int
    last_received_at: datetime | None  # the latest of those coops' receipts


def supplier_sums_report(sums: Iterable[SupplierSums], zone: tzinfo = WIB) -> SupplierReport:
    """`supplier_report` of suppliers' goods already summed up per round; days in `zone`."""
    found = []
    for one in sums:
        last = one.last_received_at.astimezone(zone).date() if one.last_received_at else None
        late = None
        if last is not None and one.delivery_on is not None:
            late = max(0, (last - one.delivery_on).days)
        confirmed = one.ordered - one.shortage if one.delivery_on is not None else None
        found.append(
            SupplierRound(
                round=one.round,
                supplier_code=one.supplier_code,
                supplier_name=one.supplier_name,
                ordered=one.ordered,
                confirmed=confirmed,
                delivered=one.delivered,
                coops=one.coops,
                coops_received=one.coops_received,
                delivery_on=one.delivery_on,
                last_received_on=last,
                days_late=late,
            )
        )
    found.sort(key=lambda s: (s.round.closed_at, s.round.id, s.supplier_code))
    return SupplierReport(tuple(found))


# -- payment discipline ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paid:
    """Money received against one bill (by its round, coop and supplier, "" for the office)."""

    round_id: int
    coop_code: str
    supplier_code: str
    amount: int
    paid_on: date


class BillStanding(StrEnum):
    ON_TIME = "on_time"  # paid in full by its due day
    LATE = "late"  # paid in full, after its due day
    OUTSTANDING = "outstanding"  # not paid in full yet


def bill_standing(
    bill: BillDue, paid: Iterable[Paid], due_days: int, zone: tzinfo = WIB
) -> BillStanding:
    """Whether `bill` was paid in full by its due day (in `zone`): the day its payments,
    oldest first, first covered its total."""
    if not bill.settled:
        return BillStanding.OUTSTANDING
    covered, day = 0, None
    for one in sorted(paid, key=lambda p: p.paid_on):
        covered += one.amount
        if covered >= bill.total:
            day = one.paid_on
            break
    if day is None or bill.closed_at is None:  # paid in full without a dated payment: on time
        return BillStanding.ON_TIME
    due = due_date(bill.closed_at, due_days).astimezone(zone).date()
    return BillStanding.ON_TIME if day <= due else BillStanding.LATE


@dataclass(frozen=True, slots=True)
class CoopPayments:
    code: str
    name: str
    bills: int
    on_time: int
    late: int
    outstanding: int  # bills not paid in full
    owed: int  # Rupiah still owed on them
    overdue: int  # of the outstanding bills, those past their due day


@dataclass(frozen=True, slots=True)
class PaymentReport:
    due_days: int
    coops: tuple[CoopPayments, ...]  # most owed first, then by code
    total: CoopPayments  # every coop's together (code and name "")


def payment_report(
    bills: Iterable[BillDue],
    paid: Iterable[Paid],
    due_days: int,
    now: datetime,
    zone: tzinfo = WIB,
) -> PaymentReport:
    """Each coop's bills of the closed rounds: on time, late, outstanding (as of `now`)."""
    payments: dict[tuple[int, str, str], list[Paid]] = defaultdict(list)
    for one in paid:
        payments[(one.round_id, one.coop_code, one.supplier_code)].append(one)
    rows: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for bill in bills:
        key = (bill.round_id, bill.coop_code, bill.supplier_code)
        standing = bill_standing(bill, payments[key], due_days, zone)
        row = rows.setdefault(bill.coop_code, [0, 0, 0, 0, 0, 0])
        names[bill.coop_code] = bill.coop_name
        row[0] += 1
        row[1] += standing is BillStanding.ON_TIME
        row[2] += standing is BillStanding.LATE
        if standing is BillStanding.OUTSTANDING:
            row[3] += 1
            row[4] += bill.balance
            row[5] += bill.overdue(now, due_days)
    coops = [CoopPayments(code, names[code], *row) for code, row in rows.items()]
    coops.sort(key=lambda c: (-c.owed, c.code))
    sums = [sum(row[n] for row in rows.values()) for n in range(6)]
    total = CoopPayments("", "", *sums)
    return PaymentReport(due_days, tuple(coops), total)


@dataclass(frozen=True, slots=True)
class BillDeadline:
    """When a closed round's bills fall due, as `bill_standing` and `BillDue.overdue` judge
    them: the last day (in the office's zone) a bill is paid on time, and whether a bill
    still owing is past due now. A round with no close time has no due day: its bills paid
    count as on time and none is past due."""

    round_id: int
    due_on: date | None
    overdue: bool


def bill_deadline(
    round_id: int, closed_at: datetime | None, due_days: int, now: datetime, zone: tzinfo = WIB
) -> BillDeadline:
    """The due day of a round closed at `closed_at` (`purchasing.paperwork.due_date`)."""
    if closed_at is None:
        return BillDeadline(round_id, None, False)
    due = due_date(closed_at, due_days)
    return BillDeadline(round_id, due.astimezone(zone).date(), now >= due)


def payment_sums_report(due_days: int, coops: Iterable[CoopPayments]) -> PaymentReport:
    """`payment_report` of each coop's bills already counted (as the database counts them
    from the bills, their payments and the rounds' `BillDeadline`s)."""
    found = sorted(coops, key=lambda c: (-c.owed, c.code))
    fields = ("bills", "on_time", "late", "outstanding", "owed", "overdue")
    sums = [sum(getattr(coop, name) for coop in found) for name in fields]
    return PaymentReport(due_days, tuple(found), CoopPayments("", "", *sums))
