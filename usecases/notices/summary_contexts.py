"""Template contexts of the close summaries and the MOQ extension notice, from the outcome.

Every context is plain JSON values (see `messages.outbox_codec`): the messages wait in the
outbox and may be sent by another process. Templates: summary_bill (a coop's bill),
summary_group (the round result for linked groups), summary_overview (the Dinas overview),
summary_purchase_order (a supplier's order), bill_to_supplier (a coop's bill of one supplier
it pays directly) and round_extended_moq.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from purchasing.model import Coop, Round, RoundItem, Supplier
from purchasing.outcome import Bill, BillLine, ProductResult, PurchaseOrder, RoundOutcome
from purchasing.paperwork import bill_number
from purchasing.settlement import bill_per_supplier
from storage.encoding import dump_json_as_built

Context = dict[str, Any]


def _round(round_: Round) -> Context:
    return {"round_id": round_.id, "round_name": round_.name}


def bill_context(
    round_: Round,
    bill: Bill,
    products: Mapping[str, ProductResult],
    payees: Mapping[str, Supplier] | None = None,
) -> Context:
    """A coop's bill; each line says why it was cut or not ordered at all. With `payees`
    (the round's suppliers, where each is paid directly), the bill of each supplier too.
    `BillTexts` writes the same value as JSON text, for the outbox."""
    lines = [_bill_line(line, products[line.product_code]) for line in bill.lines]
    return {
        **_round(round_),
        "coop_code": bill.coop_code,
        "coop_name": bill.coop_name,
        "lines": lines,
        "total": sum(line["subtotal"] for line in lines),  # `bill.total`, not summed again
        "saving": sum(line["saving"] for line in lines),  # `bill.saving`
        "delivery_note": bill.delivery_note,
        "supplier_bills": supplier_bills(round_, bill, payees) if payees is not None else [],
    }


def supplier_bills(round_: Round, bill: Bill, payees: Mapping[str, Supplier]) -> list[Context]:
    """Per supplier the coop pays directly: the bill's number, amount and where to pay."""
    return [
        supplier_bill(round_, part, payees.get(code, Supplier(code, code)))
        for code, part in bill_per_supplier(bill, round_).items()
    ]


def supplier_bill(round_: Round, part: Bill, payee: Supplier) -> Context:
    return {
        "number": bill_number(round_.id, part.coop_code, payee.code),
        "supplier": payee.name,
        "supplier_code": payee.code,
        "account": payee.account,
        "contact": payee.contact,
        "total": part.total,
    }


def _bill_line(line: BillLine, product: ProductResult) -> Context:
    """A bill line: its own numbers first, then what it shares with every other line of
    its product and status (`_line_product`), the order `BillTexts` writes them in."""
    return {
        "asked": line.asked,
        "allocated": line.allocated,
        "subtotal": line.subtotal,
        "saving": line.saving,
        **_line_product(line, product),
    }


def _line_product(line: BillLine, product: ProductResult) -> Context:
    return {
        "product_code": line.product_code,
        "name": line.name,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "market_price": line.market_price,
        "status": line.status.value,
        "changed_by": line.changed_by,
        "total_asked": product.total_asked,
        "moq": product.moq,
        "short_of_moq": product.short_of_moq,
        "supply_cap": product.supply_cap,
    }


class BillTexts:
    """`bill_context` of each bill of one round as JSON text: the text `dump_json_as_built`
    makes of it, without building it. A line's product part (`_line_product`) is encoded
    once per product and status, not once per coop that ordered the product; per line
    only its own four numbers are written (integers: their JSON is their decimal text).
    A close writes 10,000 bills of 30 lines in a province's round: half the CPU it spends
    on them (no 300,000 dicts built, then each walked and encoded key by key)."""

    def __init__(self, round_: Round, products: Mapping[str, ProductResult]) -> None:
        self._round = _round(round_)
        self._products = products
        self._parts: dict[tuple[str, str, str, int | None, int, str, str], str] = {}

    def text(self, bill: Bill, supplier_parts: Sequence[Context] = ()) -> str:
        """`dump_json_as_built(bill_context(...))` of `bill`, its `supplier_bills` given
        (`supplier_bills`: none unless the round's suppliers are paid directly)."""
        lines = []
        total = saving = 0
        for line in bill.lines:
            subtotal, saved = line.subtotal, line.saving
            total += subtotal
            saving += saved
            lines.append(
                f'{{"asked":{line.asked:d},"allocated":{line.allocated:d},'
                f'"subtotal":{subtotal:d},"saving":{saved:d},{self._part(line)}'
            )
        head = {**self._round, "coop_code": bill.coop_code, "coop_name": bill.coop_name}
        tail = {
            "total": total,
            "saving": saving,
            "delivery_note": bill.delivery_note,
            "supplier_bills": list(supplier_parts),
        }
        opening, closing = dump_json_as_built(head)[:-1], dump_json_as_built(tail)[1:]
        return f'{opening},"lines":[{",".join(lines)}],{closing}'

    def _part(self, line: BillLine) -> str:
        """The line's product part as JSON, without its opening brace."""
        key = (line.product_code, line.name, line.unit, line.unit_price, line.market_price,
               line.status.value, line.changed_by)  # fmt: skip
        part = self._parts.get(key)
        if part is None:
            product = self._products[line.product_code]
            part = self._parts[key] = dump_json_as_built(_line_product(line, product))[1:]
        return part


def result_context(round_: Round, outcome: RoundOutcome) -> Context:
    """What everybody may see: products bought at which price, what missed, participation."""
    overview = outcome.overview
    return {
        **_round(round_),
        "products": [_bought(product) for product in outcome.products if product.filled],
        "unfilled": [_missed(product) for product in overview.unfilled],
        "coops_ordered": overview.coops_ordered,
        "coops_invited": overview.coops_invited,
        "order_value": overview.order_value,
        "savings": overview.savings,
        "delivery_note": round_.delivery_note,
    }


def _bought(product: ProductResult) -> Context:
    price = product.unit_price or 0
    return {
        "product_code": product.product_code,
        "name": product.name,
        "unit": product.unit,
        "quantity": product.total_allocated,
        "unit_price": price,
        "market_price": product.market_price,
        "saving_per_unit": product.market_price - price,
    }


def _missed(product: ProductResult) -> Context:
    return {
        "product_code": product.product_code,
        "name": product.name,
        "unit": product.unit,
        "total_asked": product.total_asked,
        "moq": product.moq,
        "short_of_moq": product.short_of_moq,
    }


def overview_context(round_: Round, outcome: RoundOutcome) -> Context:
    """The Dinas overview: the result, plus cut products and each supplier's order value."""
    return {
        **result_context(round_, outcome),
        "cut": [
            {
                "product_code": product.product_code,
                "name": product.name,
                "unit": product.unit,
                "total_asked": product.total_asked,
                "total_allocated": product.total_allocated,
                "supply_cap": product.supply_cap,
            }
            for product in outcome.overview.cut
        ],
        "suppliers": [_supplier_total(order) for order in outcome.purchase_orders],
    }


def _supplier_total(order: PurchaseOrder) -> Context:
    return {
        "supplier_code": order.supplier_code,
        "supplier_name": order.supplier_name,
        "total": order.total,
    }


def purchase_order_context(
    round_: Round, order: PurchaseOrder, coops: Mapping[str, Coop]
) -> Context:
    """A supplier's order with the delivery breakdown per coop (name and address)."""
    return {
        **_round(round_),
        "supplier_code": order.supplier_code,
        "supplier_name": order.supplier_name,
        "lines": [
            {
                "product_code": line.product_code,
                "name": line.name,
                "unit": line.unit,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "per_coop": [
                    _delivery(coops.get(code), code, units) for code, units in line.per_coop
                ],
            }
            for line in order.lines
        ],
        "total": order.total,
        "delivery_note": round_.delivery_note,
    }


def _delivery(coop: Coop | None, code: str, units: int) -> Context:
    return {
        "coop_code": code,
        "coop_name": code if coop is None else coop.name,
        "address": "" if coop is None else coop.address,
        "units": units,
    }


def short_items(round_: Round, totals: Mapping[str, int]) -> list[RoundItem]:
    """Items ordered but below their MOQ: what a MOQ extension waits for."""
    return [
        item
        for item in round_.items
        if item.moq is not None and 0 < totals.get(item.product_code, 0) < item.moq
    ]


def extension_context(
    round_: Round, totals: Mapping[str, int], coops: Sequence[Coop] = ()
) -> Context:
    """The round was extended until its new `closes_at` because these items are short;
    `coops`: the reader's coops that ordered one of them (named as treasurers know them)."""
    return {
        **_round(round_),
        "closes_at": round_.closes_at,
        "coops": [{"code": coop.code, "name": coop.name} for coop in coops],
        "short": [
            {
                "product_code": item.product_code,
                "name": item.name,
                "unit": item.unit,
                "total": totals.get(item.product_code, 0),
                "moq": item.moq,
                "short_by": (item.moq or 0) - totals.get(item.product_code, 0),
            }
            for item in short_items(round_, totals)
        ],
    }
