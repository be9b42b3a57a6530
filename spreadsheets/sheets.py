"""The contents of a closed round's export, once, for both XLSX and CSV.

Each `Sheet` is a header row followed by data rows. Money cells are `Money` so the XLSX
writer can give them the '#,##0' format while the CSV writer writes the plain integer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from purchasing.after_close_log import AfterCloseStep, StepKind
from purchasing.model import AuditEntry, Coop, Round
from purchasing.outcome import LineStatus, ProductResult, RoundOutcome
from purchasing.paperwork import bill_number
from purchasing.settlement import BillDue, SettlementProgress
from spreadsheets import labels as L

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class Money:
    amount: int


Cell = str | int | Money | None
Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    rows: tuple[Row, ...]  # the first row is the header
    bold_rows: frozenset[int] = frozenset()  # indexes into `rows` besides the header


def wib_text(moment: datetime) -> str:
    """`2026-11-28 10:00 WIB` for an aware UTC datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JAKARTA).strftime(L.WIB_FORMAT)


def _money(amount: int | None) -> Money | None:
    return None if amount is None else Money(amount)


def product_status(result: ProductResult) -> LineStatus:
    if not result.filled:
        return LineStatus.UNFILLED
    if result.total_allocated < result.total_asked:
        return LineStatus.CUT
    return LineStatus.FILLED


def overview_sheet(outcome: RoundOutcome, round: Round) -> Sheet:
    overview = outcome.overview
    facts: list[Row] = [
        (L.ITEM, L.VALUE),
        (L.ROUND, round.name),
        (L.ROUND_ID, round.id),
        (L.STATUS, L.ROUND_STATUS[round.status.value]),
        (L.OPENS_AT, wib_text(round.opens_at)),
        (L.CLOSES_AT, wib_text(round.closes_at)),
        (L.DELIVERY_NOTE, round.delivery_note),
        (L.COOPS_INVITED, overview.coops_invited),
        (L.COOPS_ORDERED, overview.coops_ordered),
        (L.ORDER_VALUE, Money(overview.order_value)),
        (L.MARKET_VALUE, Money(overview.market_value)),
        (L.SAVINGS, Money(overview.savings)),
        (L.PRODUCTS_UNFILLED, len(overview.unfilled)),
        (L.PRODUCTS_CUT, len(overview.cut)),
        (),
    ]
    products: list[Row] = [
        (
            L.PRODUCT_CODE, L.PRODUCT, L.SUPPLIER_CODE, L.UNIT, L.TOTAL_ASKED, L.TOTAL_ALLOCATED,
            L.PRICE_REACHED, L.MARKET_PRICE, L.MOQ, L.SHORT_OF_MOQ, L.SUPPLY_CAP, L.AMOUNT,
            L.STATUS,
        )
    ]  # fmt: skip
    for p in outcome.products:
        amount = None if p.unit_price is None else p.total_allocated * p.unit_price
        products.append(
            (
                p.product_code, p.name, p.supplier_code, p.unit, p.total_asked,
                p.total_allocated, _money(p.unit_price), Money(p.market_price), p.moq,
                p.short_of_moq, p.supply_cap, _money(amount),
                L.LINE_STATUS[product_status(p).value],
            )
        )  # fmt: skip
    return Sheet(L.SHEET_OVERVIEW, (*facts, *products), frozenset({len(facts)}))


def purchase_order_sheet(outcome: RoundOutcome, coops: Sequence[Coop]) -> Sheet:
    """Per supplier, product and coop; each coop row ends with where to deliver."""
    known = {coop.code: coop for coop in coops}
    rows: list[Row] = [
        (
            L.SUPPLIER_CODE, L.SUPPLIER, L.PRODUCT_CODE, L.PRODUCT, L.UNIT, L.COOP_CODE, L.COOP,
            L.QUANTITY, L.UNIT_PRICE, L.AMOUNT, L.ADDRESS, L.CONTACT,
        )
    ]  # fmt: skip
    bold: set[int] = set()
    for order in outcome.purchase_orders:
        supplier: Row = (order.supplier_code, order.supplier_name)
        for line in order.lines:
            product: Row = (*supplier, line.product_code, line.name, line.unit)
            for coop_code, units in line.per_coop:
                coop = known.get(coop_code, Coop(coop_code, ""))
                price = Money(line.unit_price)
                amount = Money(units * line.unit_price)
                rows.append(
                    (*product, coop_code, coop.name, units, price, amount, *_delivery(coop))
                )
            bold.add(len(rows))
            rows.append(
                (*product, None, L.TOTAL_PRODUCT, line.quantity, Money(line.unit_price),
                 Money(line.amount), None, None)
            )  # fmt: skip
        bold.add(len(rows))
        rows.append(
            (*supplier, None, L.TOTAL_SUPPLIER, *([None] * 5), Money(order.total), None, None)
        )
    return Sheet(L.SHEET_PURCHASE_ORDERS, tuple(rows), frozenset(bold))


def bill_sheet(outcome: RoundOutcome, coops: Sequence[Coop]) -> Sheet:
    """Per coop and product; every row of a coop ends with its delivery address and contact."""
    known = {coop.code: coop for coop in coops}
    rows: list[Row] = [
        (
            L.COOP_CODE, L.COOP, L.PRODUCT_CODE, L.PRODUCT, L.UNIT, L.ASKED, L.ALLOCATED,
            L.UNIT_PRICE, L.MARKET_PRICE, L.SUBTOTAL, L.SAVING, L.STATUS, L.DELIVERY_NOTE,
            L.ADDRESS, L.CONTACT,
        )
    ]  # fmt: skip
    bold: set[int] = set()
    for bill in outcome.bills:
        delivery = _delivery(known.get(bill.coop_code, Coop(bill.coop_code, bill.coop_name)))
        for line in bill.lines:
            rows.append(
                (
                    bill.coop_code, bill.coop_name, line.product_code, line.name, line.unit,
                    line.asked, line.allocated, _money(line.unit_price),
                    Money(line.market_price), Money(line.subtotal), Money(line.saving),
                    L.LINE_STATUS[line.status.value], None, *delivery,
                )
            )  # fmt: skip
        bold.add(len(rows))
        rows.append(
            (bill.coop_code, bill.coop_name, None, L.TOTAL_BILL, *([None] * 5),
             Money(bill.total), Money(bill.saving), None, bill.delivery_note, *delivery)
        )  # fmt: skip
    return Sheet(L.SHEET_BILLS, tuple(rows), frozenset(bold))


def _delivery(coop: Coop) -> Row:
    """Where a coop's goods go: its address and contact (None when not known)."""
    return (coop.address or None, coop.contact or None)


def audit_sheet(audit: Sequence[AuditEntry], round: Round, coops: Sequence[Coop]) -> Sheet:
    coop_names = {coop.code: coop.name for coop in coops}
    product_names = {item.product_code: item.name for item in round.items}
    rows: list[Row] = [
        (
            L.TIME_WIB, L.COOP_CODE, L.COOP, L.PRODUCT_CODE, L.PRODUCT, L.OLD_QUANTITY,
            L.NEW_QUANTITY, L.ACTOR, L.VIA, L.MESSAGE_ID,
        )
    ]  # fmt: skip
    for entry in sorted(audit, key=lambda e: e.at):
        rows.append(
            (
                wib_text(entry.at), entry.coop_code, coop_names.get(entry.coop_code, ""),
                entry.product_code, product_names.get(entry.product_code, ""),
                entry.old_quantity, entry.new_quantity, entry.actor, entry.via, entry.message_id,
            )
        )  # fmt: skip
    return Sheet(L.SHEET_AUDIT, tuple(rows))


def payments_sheet(bills: Sequence[BillDue]) -> Sheet:
    """What each coop has paid of its bill so far, and what is left; a total row last."""
    rows: list[Row] = [
        (L.COOP_CODE, L.COOP, L.BILL_NUMBER, L.TOTAL_BILL, L.PAID, L.BALANCE, L.STATUS)
    ]
    for bill in bills:
        rows.append(
            (bill.coop_code, bill.coop_name, bill.number, Money(bill.total), Money(bill.paid),
             Money(bill.balance), _paid_status(bill))
        )  # fmt: skip
    total, paid = sum(b.total for b in bills), sum(b.paid for b in bills)
    rows.append(
        (None, L.TOTAL_ALL, None, Money(total), Money(paid), Money(sum(b.balance for b in bills)),
         None)
    )  # fmt: skip
    return Sheet(L.SHEET_PAYMENTS, tuple(rows), frozenset({len(rows) - 1}))


def _paid_status(bill: BillDue) -> str:
    if bill.balance < 0:
        return L.OVERPAID
    return L.PAID_IN_FULL if bill.settled else L.NOT_PAID


def after_close_sheet(
    progress: SettlementProgress, steps: Sequence[AfterCloseStep], round_id: int
) -> Sheet:
    """How far the closed round has come (its stage, as the round menu says it, and the
    counts behind it), then each step since the close as `steps` lists them (oldest first,
    as `storage.after_close` reads them): when, what, whose, the money paid, who did it."""
    facts: list[Row] = [
        (L.ITEM, L.VALUE, L.OUT_OF),
        (L.STAGE, L.AFTER_CLOSE_STAGE[progress.stage.value], None),
        (L.SUPPLIERS_CONFIRMED, progress.suppliers_confirmed, progress.suppliers),
        (L.COOPS_RECEIVED, progress.coops_received, progress.coops),
        (L.BILLS_PAID, progress.bills_paid, progress.bills),
        (),
    ]
    table: list[Row] = [(L.TIME_WIB, L.STEP, L.PARTY_CODE, L.DETAIL, L.PAID, L.ACTOR)]
    for step in steps:
        table.append(
            (wib_text(step.at), L.STEP_KIND[step.kind.value], step.party,
             step_detail(step, round_id), _money(step.amount), step.actor)
        )  # fmt: skip
    return Sheet(L.SHEET_AFTER_CLOSE, (*facts, *table), frozenset({len(facts)}))


def step_detail(step: AfterCloseStep, round_id: int) -> str:
    """What the step says, in words ("kirim 2026-12-10, 1 baris kurang"), then what a person
    sent or typed with it (a transfer's text, a file, a rejection's reason)."""
    detail = _what(step, round_id)
    return L.NOTE.format(detail=detail, note=step.note) if step.note else detail


def _what(step: AfterCloseStep, round_id: int) -> str:
    number = bill_number(round_id, step.party, step.supplier_code)
    match step.kind:
        case StepKind.SUPPLIER_CONFIRMED:
            day = step.delivery_on.isoformat() if step.delivery_on else ""
            return f"{L.DELIVERS_ON.format(day=day)}, {_shortfall(step)}"
        case StepKind.COOP_RECEIVED:
            return _shortfall(step)
        case StepKind.BILL_CHANGED:
            reason = L.CHANGE_REASON.get(step.reason, step.reason)
            return L.BILL_CHANGE.format(
                product=step.product_code, old=step.old, new=step.new, reason=reason
            )
        case StepKind.RECEIPT_PHOTO:
            return L.PHOTO
        case StepKind.PROOF_SENT | StepKind.PROOF_HANDLED:
            status = L.PROOF_STATUS.get(step.status, step.status)
            return L.PROOF.format(id=step.proof_id, number=number, status=status)
        case StepKind.PAYMENT:
            source = L.PAYMENT_SOURCE.get(step.source, step.source)
            paid_on = step.paid_on.isoformat() if step.paid_on else ""
            return L.PAYMENT.format(number=number, source=source, paid_on=paid_on)


def _shortfall(step: AfterCloseStep) -> str:
    if step.short_lines:
        return L.LINES_SHORT.format(count=step.short_lines)
    return L.ALL_COMPLETE


def round_sheets(
    outcome: RoundOutcome,
    round: Round,
    audit: Sequence[AuditEntry],
    coops: Sequence[Coop],
    bills: Sequence[BillDue] = (),
    steps: Sequence[AfterCloseStep] = (),
    progress: SettlementProgress | None = None,
) -> tuple[Sheet, ...]:
    """Overview, purchase orders, bills, audit log: the order of the workbook's sheets; then,
    once the round has closed, the payments against its bills, and, given how far it has
    come (`progress`), the steps since its close."""
    sheets = [
        overview_sheet(outcome, round),
        purchase_order_sheet(outcome, coops),
        bill_sheet(outcome, coops),
        audit_sheet(audit, round, coops),
    ]
    if bills:
        sheets.append(payments_sheet(bills))
    if progress is not None:
        sheets.append(after_close_sheet(progress, steps, round.id))
    return tuple(sheets)
