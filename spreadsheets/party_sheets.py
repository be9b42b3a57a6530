"""The print-ready sheets of a closed round, one per party, after the overview and audit
sheets of its workbook: each supplier's purchase order ("SP BULOG") and each coop's bill
("TG DT"). They hold what the party's PDF holds (`bot.documents`), laid out to print by
`spreadsheets.print_setup`:

- a purchase order: title, number, date, round, the issuing office, the supplier; the
  products with quantity, unit price reached and amount, the total; then per coop where to
  deliver (address, contact) and what; the payment terms, the delivery note, a signature block;
- a bill: title, number, date, due date, round, the issuing office, the coop with its address
  and contact; each line with quantity ordered and allocated, unit and market price,
  subtotal, saving and status, the total; then how to pay with the number to write on the
  transfer, and the delivery note.

Numbers and dates come from `purchasing.paperwork`, as on the PDFs, so a party's sheet and
its PDF carry the same number, date (the day the round closed, in Jakarta) and due date. The
words are in `spreadsheets.labels`. The office is the config's `[office]`, handed in as an
`Office` (spreadsheets/ does not import the bot's config).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Protocol

from purchasing.model import Coop, Round, RoundStatus, Supplier
from purchasing.outcome import Bill, BillLine, PurchaseOrder, PurchaseOrderLine, RoundOutcome
from purchasing.paperwork import bill_number, due_date, purchase_order_number
from purchasing.settlement import bill_per_supplier
from spreadsheets import labels as L
from spreadsheets.print_setup import BLANK_ROW, PrintCell, PrintRow, PrintSheet, RowKind
from spreadsheets.sheets import JAKARTA, Money

BILL_COLUMNS = (
    L.PRODUCT_CODE, L.PRODUCT, L.UNIT, L.ASKED, L.ALLOCATED, L.UNIT_PRICE, L.MARKET_PRICE,
    L.SUBTOTAL, L.SAVING, L.STATUS,
)  # fmt: skip
ORDER_COLUMNS = (L.PRODUCT_CODE, L.PRODUCT, L.UNIT, L.QUANTITY, L.UNIT_PRICE, L.AMOUNT)
DELIVERY_COLUMNS = (
    L.COOP_CODE, L.COOP, L.ADDRESS, L.CONTACT, L.PRODUCT_CODE, L.PRODUCT, L.QUANTITY, L.UNIT,
)  # fmt: skip


class Office(Protocol):
    """Who issues the documents and how coops pay; `bot.config.OfficeConfig` is one."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def contact(self) -> str: ...
    @property
    def signatory(self) -> str: ...
    @property
    def payment_instructions(self) -> str: ...
    @property
    def payment_terms(self) -> str: ...
    @property
    def bill_due_days(self) -> int: ...


def party_sheets(
    outcome: RoundOutcome,
    round: Round,
    coops: Sequence[Coop],
    office: Office,
    payees: Mapping[str, Supplier] | None = None,
) -> tuple[PrintSheet, ...]:
    """Each supplier's purchase order, then each coop's bill — where the coops pay each
    supplier directly (`payees`: the round's suppliers), one bill per coop per supplier;
    none until the round closed (an open round's workbook is an estimate: nobody is billed
    yet)."""
    if round.status is not RoundStatus.CLOSED:
        return ()
    known = {coop.code: coop for coop in coops}
    orders = [
        purchase_order_sheet(order, round, known, office) for order in outcome.purchase_orders
    ]
    if payees is None:
        bills = [bill_sheet(b, round, _coop_of(b, known), office) for b in outcome.bills]
        return (*orders, *bills)
    per_supplier = [
        bill_sheet(
            part, round, _coop_of(bill, known), office, payees.get(code, Supplier(code, code))
        )
        for bill in outcome.bills
        for code, part in bill_per_supplier(bill, round).items()
    ]
    return (*orders, *per_supplier)


def bill_sheet(
    bill: Bill, round: Round, coop: Coop, office: Office, payee: Supplier | None = None
) -> PrintSheet:
    """A coop's bill: to the office, or with `payee` its part paid to that supplier."""
    number = bill_number(round.id, bill.coop_code, payee.code if payee else "")
    issued = round.closes_at
    facts = (
        _fact(L.NUMBER, number),
        _fact(L.ISSUED_ON, jakarta_day(issued)),
        _fact(L.DUE_ON, jakarta_day(due_date(issued, office.bill_due_days))),
        _fact(L.ROUND, round.name),
        *(_block(L.PAID_TO, L.PARTY.format(name=payee.name, code=payee.code)) if payee else ()),
    )
    party = _block(L.TO, L.PARTY.format(name=coop.name, code=coop.code), coop.address, coop.contact)
    total = (None, L.TOTAL_BILL, *[None] * 5, Money(bill.total), Money(bill.saving), None)
    closing = (
        _fact(L.TOTAL_BILL, Money(bill.total)),
        _fact(L.SAVING_AGAINST_MARKET, Money(bill.saving)),
        _fact(L.HOW_TO_PAY, _how_to_pay(office, payee)),
        _fact(L.TRANSFER_REFERENCE, number),
        *_block(L.DELIVERY_NOTE, bill.delivery_note),
    )
    rows = (
        *_head(L.TITLE_BILL, facts, office, party),
        PrintRow(RowKind.HEADER, BILL_COLUMNS),
        *(_bill_line(line) for line in bill.lines),
        PrintRow(RowKind.TOTAL, total),
        BLANK_ROW,
        *closing,
    )
    title = L.SHEET_ONE_BILL.format(code=bill.coop_code)
    if payee is not None:
        title = L.SHEET_ONE_SUPPLIER_BILL.format(code=bill.coop_code, supplier=payee.code)
    return PrintSheet(title, number, rows)


def _how_to_pay(office: Office, payee: Supplier | None) -> str:
    if payee is None:
        return office.payment_instructions or L.ASK_THE_OFFICE
    where = L.PAY_SUPPLIER.format(name=payee.name)
    if payee.account:
        return where + L.SUPPLIER_ACCOUNT.format(account=payee.account)
    return where + (L.ASK_THE_SUPPLIER.format(contact=payee.contact) if payee.contact else "")


def purchase_order_sheet(
    order: PurchaseOrder, round: Round, coops: Mapping[str, Coop], office: Office
) -> PrintSheet:
    number = purchase_order_number(round.id, order.supplier_code)
    issued = jakarta_day(round.closes_at)
    facts = (_fact(L.NUMBER, number), _fact(L.ISSUED_ON, issued), _fact(L.ROUND, round.name))
    party = _block(L.TO, L.PARTY.format(name=order.supplier_name, code=order.supplier_code))
    closing = (
        _fact(L.TOTAL_ORDER, Money(order.total)),
        *_block(L.PAYMENT_TERMS, office.payment_terms),
        *_block(L.DELIVERY_NOTE, round.delivery_note),
    )
    signature = (office.name, issued, None, None, office.signatory or L.SIGN_HERE)
    rows = (
        *_head(L.TITLE_PURCHASE_ORDER, facts, office, party),
        PrintRow(RowKind.HEADER, ORDER_COLUMNS),
        *(_order_line(line) for line in order.lines),
        PrintRow(RowKind.TOTAL, (None, L.TOTAL_ORDER, *[None] * 3, Money(order.total))),
        BLANK_ROW,
        PrintRow(RowKind.SECTION, (L.DELIVERIES,)),
        PrintRow(RowKind.HEADER, DELIVERY_COLUMNS),
        *_deliveries(order, coops),
        BLANK_ROW,
        *closing,
        BLANK_ROW,
        *(PrintRow(RowKind.SIGNATURE, (line,)) for line in signature),
    )
    return PrintSheet(L.SHEET_ONE_PURCHASE_ORDER.format(code=order.supplier_code), number, rows)


def jakarta_day(moment: datetime) -> date:
    """The calendar day in Jakarta of an aware UTC datetime (naive is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JAKARTA).date()


def _coop_of(bill: Bill, known: Mapping[str, Coop]) -> Coop:
    """The coop as kept at the close (with its address), else as its bill names it."""
    return known.get(bill.coop_code, Coop(bill.coop_code, bill.coop_name))


def _head(
    title: str, facts: Sequence[PrintRow], office: Office, party: Sequence[PrintRow]
) -> tuple[PrintRow, ...]:
    """Title, the document's facts, who issues it and to whom, before the first table."""
    issuer = _block(L.FROM, office.name, office.address, office.contact)
    return (
        PrintRow(RowKind.TITLE, (title,)), BLANK_ROW, *facts, BLANK_ROW, *issuer, BLANK_ROW,
        *party, BLANK_ROW,
    )  # fmt: skip


def _fact(label: str | None, value: PrintCell) -> PrintRow:
    return PrintRow(RowKind.FACT, (label, value))


def _block(label: str, *lines: str) -> list[PrintRow]:
    """A fact over several lines (name, address, contact), leaving out the empty ones."""
    present = [line for line in lines if line]
    return [_fact(None if n else label, line) for n, line in enumerate(present)]


def _bill_line(line: BillLine) -> PrintRow:
    price = None if line.unit_price is None else Money(line.unit_price)
    return PrintRow(
        RowKind.LINE,
        (
            line.product_code, line.name, line.unit, line.asked, line.allocated, price,
            Money(line.market_price), Money(line.subtotal), Money(line.saving),
            L.LINE_STATUS[line.status.value],
        ),
    )  # fmt: skip


def _order_line(line: PurchaseOrderLine) -> PrintRow:
    return PrintRow(
        RowKind.LINE,
        (line.product_code, line.name, line.unit, line.quantity, Money(line.unit_price),
         Money(line.amount)),
    )  # fmt: skip


def _deliveries(order: PurchaseOrder, coops: Mapping[str, Coop]) -> list[PrintRow]:
    """Per coop (by code), what goes there; where to, on the coop's first row."""
    goods: dict[str, list[tuple[PurchaseOrderLine, int]]] = {}
    for line in order.lines:
        for coop_code, units in line.per_coop:
            if units:
                goods.setdefault(coop_code, []).append((line, units))
    rows = []
    for code in sorted(goods):
        coop = coops.get(code, Coop(code, code))
        where: tuple[PrintCell, ...] = (coop.name, coop.address or None, coop.contact or None)
        for line, units in goods[code]:
            rows.append(
                PrintRow(RowKind.LINE, (code, *where, line.product_code, line.name, units,
                                        line.unit))
            )  # fmt: skip
            where = (None, None, None)
    return rows
