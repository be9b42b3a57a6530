"""After the close: a supplier confirms its purchase order of the last closed round
(`/konfirmasi`: the delivery date, and what it can ship of each product it cannot ship in
full). What each coop received is `usecases.receipts`.

In ONE transaction: the confirmation is checked (`purchasing.supply.check_confirmation`),
each shortage is shared over the coops pro rata (`share_shortage`), their allocations and
the reasons are written, and every coop whose bill changed is told (with its new total),
as are the admins. The unit prices reached at the close stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.allocation import AllocationRequest
from purchasing.errors import NoPurchaseOrder
from purchasing.model import Round
from purchasing.settlement import BillDue
from purchasing.supply import (
    AllocationChange,
    Delivery,
    all_scheduled,
    check_confirmation,
    check_delivery_day,
    share_shortage,
)
from purchasing.times import wib_today
from storage import payments, rounds, supply
from storage.catalog.reads import list_suppliers
from storage.database import Transaction
from storage.people.audience import Audience, load_audience
from storage.round_parties import parties_for
from usecases.context import UseCaseContext
from usecases.notices.posts import Post, queue_posts, to_treasurers

SHORTAGE = "shortage"


@dataclass(frozen=True, slots=True)
class OrderConfirmed:
    round: Round
    supplier_name: str
    delivery_on: date
    short: dict[str, tuple[int, int]]  # product code: (ordered, shipped)
    changes: list[AllocationChange]
    coops: dict[str, str] = field(default_factory=dict)  # with goods from the supplier: names
    totals: dict[str, int] = field(default_factory=dict)  # each coop's bill after the changes


async def confirm_purchase_order(
    ctx: UseCaseContext,
    supplier_code: str,
    delivery_on: date,
    shipped: Mapping[str, int],
    actor: str,
    round_id: int | None = None,
) -> OrderConfirmed:
    """The supplier's purchase order of closed round `round_id` (default: the last closed
    round) confirmed. Raises DayPassed, DeliveryDayTooFar, NoPurchaseOrder, OrderAlreadyConfirmed,
    NotInPurchaseOrder or ShortageTooLarge, and then changes nothing."""
    now = ctx.now()
    check_delivery_day(delivery_on, wib_today(now, ctx.timezone))
    async with ctx.db.transaction() as tx:
        closed = [r for r in await rounds.closed_rounds(tx) if round_id is None or r.id == round_id]
        names = {supplier.code: supplier.name for supplier in await list_suppliers(tx)}
        name = names.get(supplier_code, supplier_code)
        if not closed:
            raise NoPurchaseOrder(supplier=name, round_name="")
        round_ = closed[0]
        allocations = await supply.supplier_allocations(tx, round_.id, supplier_code)
        ordered = {
            code: sum(r.quantity for r in requests) for code, requests in allocations.items()
        }
        if not ordered:
            raise NoPurchaseOrder(supplier=name, round_name=round_.name)
        before = await supply.confirmed_on(tx, round_.id, supplier_code)
        check_confirmation(ordered, shipped, name, before, round_.name)
        short = {code: units for code, units in shipped.items() if units < ordered[code]}
        changes = share_shortage(allocations, short)
        await supply.change_allocations(tx, round_.id, changes, SHORTAGE, actor, now)
        await supply.record_confirmation(
            tx, round_.id, supplier_code, delivery_on, len(short), actor, now
        )
        bills = await payments.bills_due(tx, round_.id)
        done = OrderConfirmed(
            round_, name, delivery_on, {c: (ordered[c], u) for c, u in short.items()}, changes,
            await _coop_names(tx, round_.id, allocations), coop_totals(bills),
        )  # fmt: skip
        await queue_posts(tx, await _notices(tx, done, ctx.default_language), now)
    return done


async def _coop_names(
    tx: Transaction, round_id: int, allocations: Mapping[str, Sequence[AllocationRequest]]
) -> dict[str, str]:
    """The names of the coops with goods from the supplier, as the round kept them: also of a
    coop the shortage left with nothing (it has no bill any more, and must hear why)."""
    coops = {r.coop_code for requests in allocations.values() for r in requests}
    kept = {coop.code: coop.name for coop in (await parties_for(tx, round_id)).coops}
    return {code: kept.get(code, code) for code in coops}


async def _notices(tx: Transaction, done: OrderConfirmed, default_language: str) -> list[Post]:
    audience = await load_audience(tx)
    deliveries = await supply.round_deliveries(tx, done.round.id)
    posts = []
    for coop in sorted(done.coops):
        posts += _coop_notices(audience, done, coop, deliveries.get(coop, []), default_language)
    context = {
        "round_name": done.round.name,
        "supplier": done.supplier_name,
        "delivery_on": done.delivery_on.isoformat(),
        "shortages": shortage_lines(done),
        "coops_changed": len(by_coop(done.changes)),
    }
    prefix = f"confirmed:{done.round.id}:{done.supplier_name}"
    for platform, user_id in audience.admins:
        language = audience.language(platform, user_id, default_language)
        key = f"{prefix}:admin:{platform}:{user_id}"
        reply = Reply("supplier_confirmed", context, language)
        posts.append(Post(platform, user_id, "supplier_confirmed", key, reply))
    return posts


def _coop_notices(
    audience: Audience,
    done: OrderConfirmed,
    coop: str,
    deliveries: Sequence[Delivery],
    default_language: str,
) -> list[Post]:
    """The coop's treasurers hear the delivery day: with the revised bill when the shortage
    changed it, and, once every supplier of its goods has a day, a button to confirm that
    everything arrived."""
    round_ = done.round
    lines = by_coop(done.changes).get(coop, [])
    scheduled = all_scheduled(deliveries)
    context = {
        "round_name": round_.name,
        "supplier": done.supplier_name,
        "coop_name": done.coops[coop],
        "lines": [bill_line(round_, change) for change in lines],
        "total": done.totals.get(coop, 0),
        "delivery_on": done.delivery_on.isoformat(),
        "deliveries": [
            {"supplier": d.supplier_name, "delivery_on": d.delivery_on.isoformat()}
            for d in deliveries
            if d.delivery_on is not None
        ],
        "all_scheduled": scheduled,
    }
    template = "bill_revised" if lines else "delivery_scheduled"
    receipt = Option("buttons/receipt_all", payload=encode(Verb.RECEIPT_ALL, round_.id, coop))
    options = ((receipt,),) if scheduled and context["total"] else ()
    key = f"confirmed:{round_.id}:{done.supplier_name}:bill:{coop}"
    return to_treasurers(audience, coop, template, context, key, default_language, options)


def coop_totals(bills: Sequence[BillDue]) -> dict[str, int]:
    """What each coop owes in all (its bills of every supplier, where each is paid directly)."""
    totals: dict[str, int] = {}
    for bill in bills:
        totals[bill.coop_code] = totals.get(bill.coop_code, 0) + bill.total
    return totals


def by_coop(changes: Sequence[AllocationChange]) -> dict[str, list[AllocationChange]]:
    found: dict[str, list[AllocationChange]] = {}
    for change in changes:
        found.setdefault(change.coop_code, []).append(change)
    return found


def bill_line(round_: Round, change: AllocationChange) -> dict[str, object]:
    item = round_.item(change.product_code)
    return {
        "product_code": change.product_code,
        "name": product_name(round_, change.product_code),
        "unit": item.unit if item else "",
        "old": change.old,
        "new": change.new,
    }


def shortage_lines(done: OrderConfirmed) -> list[dict[str, object]]:
    """What the supplier ships short, by product code, with each product's name and unit."""
    lines: list[dict[str, object]] = []
    for code, (ordered, shipped) in sorted(done.short.items()):
        item = done.round.item(code)
        lines.append({
            "product_code": code,
            "name": item.name if item else code,
            "unit": item.unit if item else "",
            "ordered": ordered,
            "shipped": shipped,
        })  # fmt: skip
    return lines


def product_name(round_: Round, code: str) -> str:
    item = round_.item(code)
    return item.name if item else code
