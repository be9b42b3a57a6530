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
  transfer, and the delivery note. A coop owing nothing (every line unfilled or cut to 0)
  gets none (`RoundOutcome.bills_to_pay`), as it gets no PDF and no payment is due.

A round of more than `MAX_BILL_SHEETS` coops billed gets no bill sheets: ten thousand
sheets in one workbook are neither usable nor quick to open. One sheet says instead where
each coop's bill is: its PDF (`tagihan-<round>-<coop>.pdf`, which `belanja-bareng export`
writes next to the workbook and the dashboard serves). The purchase orders, one per
supplier, are always there.

Numbers and dates come from `purchasing.paperwork`, as on the PDFs, so a party's sheet and
its PDF carry the same number, date (the day the round closed, in Jakarta) and due date. The
words are those of the reader's language (`spreadsheets.labels.SheetWords`). The office is
the config's `[office]`, handed in as an `Office` (spreadsheets/ does not import the bot's
config).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from purchasing.model import Coop, Round, RoundStatus, Supplier
from purchasing.outcome import Bill, BillLine, PurchaseOrder, PurchaseOrderLine, RoundOutcome
from purchasing.paperwork import bill_number, due_date, purchase_order_number
from purchasing.settlement import bill_per_supplier
from spreadsheets.labels import SheetWords
from spreadsheets.print_setup import BLANK_ROW, PrintCell, PrintRow, PrintSheet, RowKind
from spreadsheets.sheets import WIB_ZONE, LocalZone, Money

MAX_BILL_SHEETS = 200  # coops billed: beyond, their bills are their PDFs only


def bill_columns(w: SheetWords) -> tuple[str, ...]:
    return (
        w.product_code, w.product, w.unit, w.asked, w.allocated, w.unit_price, w.market_price,
        w.subtotal, w.saving, w.status,
    )  # fmt: skip


def order_columns(w: SheetWords) -> tuple[str, ...]:
    return (w.product_code, w.product, w.unit, w.quantity, w.unit_price, w.amount)


def delivery_columns(w: SheetWords) -> tuple[str, ...]:
    return (
        w.coop_code, w.coop, w.address, w.contact, w.product_code, w.product, w.quantity, w.unit,
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
    local: LocalZone = WIB_ZONE,
    *,
    words: SheetWords,
) -> Iterator[PrintSheet]:
    """Each supplier's purchase order, then each coop's bill — where the coops pay each
    supplier directly (`payees`: the round's suppliers), one bill per coop per supplier;
    beyond `MAX_BILL_SHEETS` coops, one sheet saying where their bills are instead; none
    until the round closed (an open round's workbook is an estimate: nobody is billed yet).
    Each sheet is made when it is asked for: a purchase order of a big round is long."""
    if round.status is not RoundStatus.CLOSED:
        return
    known = {coop.code: coop for coop in coops}
    for order in outcome.purchase_orders:
        yield purchase_order_sheet(order, round, known, office, words, local)
    bills = outcome.bills_to_pay
    if len(bills) > MAX_BILL_SHEETS:
        yield bills_elsewhere_sheet(round, len(bills), words)
    elif payees is None:
        for b in bills:
            yield bill_sheet(b, round, _coop_of(b, known), office, words, local=local)
    else:
        yield from _supplier_bill_sheets(outcome, round, known, office, payees, local, words)


def _supplier_bill_sheets(
    outcome: RoundOutcome,
    round: Round,
    known: Mapping[str, Coop],
    office: Office,
    payees: Mapping[str, Supplier],
    local: LocalZone,
    words: SheetWords,
) -> Iterator[PrintSheet]:
    return (
        bill_sheet(
            part,
            round,
            _coop_of(bill, known),
            office,
            words,
            payees.get(code, Supplier(code, code)),
            local,
        )
        for bill in outcome.bills_to_pay
        for code, part in bill_per_supplier(bill, round).items()
    )


def bills_elsewhere_sheet(round: Round, coops: int, w: SheetWords) -> PrintSheet:
    """In place of the bill sheets of a round of more than `MAX_BILL_SHEETS` coops: where
    each coop's bill is."""
    text = w.bills_elsewhere.format(count=coops, limit=MAX_BILL_SHEETS, round_id=round.id)
    rows = (
        PrintRow(RowKind.TITLE, (w.sheet_bills_elsewhere,)),
        BLANK_ROW,
        _fact(w.round, round.name),
        _fact(None, text),
    )
    return PrintSheet(w.sheet_bills_elsewhere, "", rows, w.page_of)


def bill_sheet(
    bill: Bill,
    round: Round,
    coop: Coop,
    office: Office,
    w: SheetWords,
    payee: Supplier | None = None,
    local: LocalZone = WIB_ZONE,
) -> PrintSheet:
    """A coop's bill: to the office, or with `payee` its part paid to that supplier."""
    number = bill_number(round.id, bill.coop_code, payee.code if payee else "")
    issued = round.closed_at or round.closes_at  # the day it closed: reminders count from it
    facts = (
        _fact(w.number, number),
        _fact(w.issued_on, local.day(issued)),
        _fact(w.due_on, local.day(due_date(issued, office.bill_due_days))),
        _fact(w.round, round.name),
        *(_block(w.paid_to, w.party.format(name=payee.name, code=payee.code)) if payee else ()),
    )
    party = _block(
        w.recipient, w.party.format(name=coop.name, code=coop.code), coop.address, coop.contact
    )
    total = (None, w.total_bill, *[None] * 5, Money(bill.total), Money(bill.saving), None)
    closing = (
        _fact(w.total_bill, Money(bill.total)),
        _fact(w.saving_against_market, Money(bill.saving)),
        _fact(w.how_to_pay, _how_to_pay(office, payee, w)),
        _fact(w.transfer_reference, number),
        *_block(w.delivery_note, bill.delivery_note),
    )
    rows = (
        *_head(w.title_bill, facts, office, party, w),
        PrintRow(RowKind.HEADER, bill_columns(w)),
        *(_bill_line(line, w) for line in bill.lines),
        PrintRow(RowKind.TOTAL, total),
        BLANK_ROW,
        *closing,
    )
    title = w.sheet_one_bill.format(code=bill.coop_code)
    if payee is not None:
        title = w.sheet_one_supplier_bill.format(code=bill.coop_code, supplier=payee.code)
    return PrintSheet(title, number, rows, w.page_of)


def _how_to_pay(office: Office, payee: Supplier | None, w: SheetWords) -> str:
    if payee is None:
        return office.payment_instructions or w.ask_the_office
    if payee.account:
        return w.pay_supplier_account.format(name=payee.name, account=payee.account)
    if payee.contact:
        return w.pay_supplier_contact.format(name=payee.name, contact=payee.contact)
    return w.pay_supplier.format(name=payee.name)


def purchase_order_sheet(
    order: PurchaseOrder,
    round: Round,
    coops: Mapping[str, Coop],
    office: Office,
    w: SheetWords,
    local: LocalZone = WIB_ZONE,
) -> PrintSheet:
    number = purchase_order_number(round.id, order.supplier_code)
    issued = local.day(round.closed_at or round.closes_at)
    facts = (_fact(w.number, number), _fact(w.issued_on, issued), _fact(w.round, round.name))
    party = _block(w.recipient, w.party.format(name=order.supplier_name, code=order.supplier_code))
    closing = (
        _fact(w.total_order, Money(order.total)),
        *_block(w.payment_terms, office.payment_terms),
        *_block(w.delivery_note, round.delivery_note),
    )
    signature = (office.name, issued, None, None, office.signatory or w.sign_here)
    rows = (
        *_head(w.title_purchase_order, facts, office, party, w),
        PrintRow(RowKind.HEADER, order_columns(w)),
        *(_order_line(line) for line in order.lines),
        PrintRow(RowKind.TOTAL, (None, w.total_order, *[None] * 3, Money(order.total))),
        BLANK_ROW,
        PrintRow(RowKind.SECTION, (w.deliveries,)),
        PrintRow(RowKind.HEADER, delivery_columns(w)),
        *_deliveries(order, coops),
        BLANK_ROW,
        *closing,
        BLANK_ROW,
        *(PrintRow(RowKind.SIGNATURE, (line,)) for line in signature),
    )
    title = w.sheet_one_purchase_order.format(code=order.supplier_code)
    return PrintSheet(title, number, rows, w.page_of)


def _coop_of(bill: Bill, known: Mapping[str, Coop]) -> Coop:
    """The coop as kept at the close (with its address), else as its bill names it."""
    return known.get(bill.coop_code, Coop(bill.coop_code, bill.coop_name))


def _head(
    title: str,
    facts: Sequence[PrintRow],
    office: Office,
    party: Sequence[PrintRow],
    w: SheetWords,
) -> tuple[PrintRow, ...]:
    """Title, the document's facts, who issues it and to whom, before the first table."""
    issuer = _block(w.sender, office.name, office.address, office.contact)
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


def _bill_line(line: BillLine, w: SheetWords) -> PrintRow:
    price = None if line.unit_price is None else Money(line.unit_price)
    return PrintRow(
        RowKind.LINE,
        (
            line.product_code, line.name, line.unit, line.asked, line.allocated, price,
            Money(line.market_price), Money(line.subtotal), Money(line.saving),
            w.line_status[line.status.value],
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
