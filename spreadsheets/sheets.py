"""The contents of a closed round's export, once, for both XLSX and CSV.

Each `Sheet` is a header row followed by data rows, in the words of one language (a
`SheetWords`, from `messages/templates/<lang>/sheets/`). Money cells are `Money` so the XLSX
writer can give them the '#,##0' format while the CSV writer writes the plain integer; total
rows are `Bold`. A sheet's rows are made as they are read, each time they are read (the
writers read them once for the column widths, once to write): a round of 10,000 coops has
over 600,000 rows, and none of them is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from purchasing.after_close_log import AfterCloseStep, StepKind
from purchasing.model import AuditEntry, Coop, Round
from purchasing.outcome import LineStatus, ProductResult, RoundOutcome
from purchasing.paperwork import bill_number
from purchasing.settlement import BillDue, SettlementProgress
from spreadsheets.labels import TIME_FORMAT, SheetWords

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class LocalZone:
    """The office's zone (the config's `timezone`) and what people call it ("WIB", "WITA";
    `bot/` names it with `messages.formatting.zone_name`): every time in a sheet is in it."""

    zone: tzinfo = JAKARTA
    name: str = "WIB"

    def text(self, moment: datetime) -> str:
        """`2026-11-28 10:00 WIB` for an aware UTC datetime (naive is taken as UTC)."""
        return f"{_aware(moment).astimezone(self.zone).strftime(TIME_FORMAT)} {self.name}"

    def day(self, moment: datetime) -> date:
        """The calendar day of an aware UTC datetime (naive is taken as UTC) in the zone."""
        return _aware(moment).astimezone(self.zone).date()

    def time_header(self, words: SheetWords) -> str:
        """The header of a column of times: "Waktu (WITA)"."""
        return words.time_local.format(zone=self.name)


WIB_ZONE = LocalZone()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True, slots=True)
class Money:
    amount: int


Cell = str | int | Money | None
Row = tuple[Cell, ...]


class Bold(tuple[Cell, ...]):
    """A row shown in bold (a total); in a CSV file, a row like any other."""

    __slots__ = ()


class Rows:
    """A sheet's rows, made by `make` anew each time they are iterated."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterator[Row]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Row]:
        return self._make()


@dataclass(frozen=True, slots=True)
class Sheet:
    kind: str  # what the sheet holds, in any language: its CSV file is "<kind>.csv"
    title: str
    rows: Iterable[Row]  # the first row is the header; iterable more than once


def _money(amount: int | None) -> Money | None:
    return None if amount is None else Money(amount)


def _close_rows(round: Round, w: SheetWords, local: LocalZone) -> list[Row]:
    """When the round closed (its deadline while open), and the deadline as well when it
    closed at another minute: early, by staff, or late, after a restart."""
    closed = local.text(round.closed_at or round.closes_at)
    deadline = local.text(round.closes_at)
    if closed == deadline:
        return [(w.closes_at, closed)]
    return [(w.closes_at, closed), (w.deadline, deadline)]


def product_status(result: ProductResult) -> LineStatus:
    if not result.filled:
        return LineStatus.UNFILLED
    if result.total_allocated < result.total_asked:
        return LineStatus.CUT
    return LineStatus.FILLED


def overview_sheet(
    outcome: RoundOutcome, round: Round, w: SheetWords, local: LocalZone = WIB_ZONE
) -> Sheet:
    return Sheet(
        "overview", w.sheet_overview, Rows(lambda: _overview_rows(outcome, round, w, local))
    )


def _overview_rows(
    outcome: RoundOutcome, round: Round, w: SheetWords, local: LocalZone
) -> Iterator[Row]:
    overview = outcome.overview
    facts: list[Row] = [
        (w.item, w.value),
        (w.round, round.name),
        (w.round_id, round.id),
        (w.status, w.round_status[round.status.value]),
        (w.opens_at, local.text(round.opens_at)),
        *_close_rows(round, w, local),
        (w.delivery_note, round.delivery_note),
        (w.coops_invited, overview.coops_invited),
        (w.coops_ordered, overview.coops_ordered),
        (w.order_value, Money(overview.order_value)),
        (w.market_value, Money(overview.market_value)),
        (w.savings, Money(overview.savings)),
        (w.products_unfilled, len(overview.unfilled)),
        (w.products_cut, len(overview.cut)),
        (),
    ]
    yield from facts
    yield Bold(
        (
            w.product_code, w.product, w.supplier_code, w.unit, w.total_asked, w.total_allocated,
            w.price_reached, w.market_price, w.moq, w.short_of_moq, w.supply_cap, w.amount,
            w.status,
        )
    )  # fmt: skip
    for p in outcome.products:
        amount = None if p.unit_price is None else p.total_allocated * p.unit_price
        yield (
                p.product_code, p.name, p.supplier_code, p.unit, p.total_asked,
                p.total_allocated, _money(p.unit_price), Money(p.market_price), p.moq,
                p.short_of_moq, p.supply_cap, _money(amount),
                w.line_status[product_status(p).value],
        )  # fmt: skip


def purchase_order_sheet(outcome: RoundOutcome, coops: Sequence[Coop], w: SheetWords) -> Sheet:
    """Per supplier, product and coop; each coop row ends with where to deliver."""
    return Sheet(
        "purchase_orders", w.sheet_purchase_orders, Rows(lambda: _order_rows(outcome, coops, w))
    )


def _order_rows(outcome: RoundOutcome, coops: Sequence[Coop], w: SheetWords) -> Iterator[Row]:
    known = {coop.code: coop for coop in coops}
    yield (
            w.supplier_code, w.supplier, w.product_code, w.product, w.unit, w.coop_code, w.coop,
            w.quantity, w.unit_price, w.amount, w.address, w.contact,
    )  # fmt: skip
    for order in outcome.purchase_orders:
        supplier: Row = (order.supplier_code, order.supplier_name)
        for line in order.lines:
            product: Row = (*supplier, line.product_code, line.name, line.unit)
            for coop_code, units in line.per_coop:
                coop = known.get(coop_code, Coop(coop_code, ""))
                price = Money(line.unit_price)
                amount = Money(units * line.unit_price)
                yield (*product, coop_code, coop.name, units, price, amount, *_delivery(coop))
            yield Bold(
                (*product, None, w.total_product, line.quantity, Money(line.unit_price),
                 Money(line.amount), None, None)
            )  # fmt: skip
        yield Bold(
            (*supplier, None, w.total_supplier, *([None] * 5), Money(order.total), None, None)
        )


def bill_sheet(outcome: RoundOutcome, coops: Sequence[Coop], w: SheetWords) -> Sheet:
    """Per coop and product, for each coop with something to pay (`bills_to_pay`: as the
    payments and the bill PDFs count bills); every row of a coop ends with its delivery
    address and contact."""
    return Sheet("bills", w.sheet_bills, Rows(lambda: _bill_rows(outcome, coops, w)))


def _bill_rows(outcome: RoundOutcome, coops: Sequence[Coop], w: SheetWords) -> Iterator[Row]:
    known = {coop.code: coop for coop in coops}
    yield (
            w.coop_code, w.coop, w.product_code, w.product, w.unit, w.asked, w.allocated,
            w.unit_price, w.market_price, w.subtotal, w.saving, w.status, w.delivery_note,
            w.address, w.contact,
    )  # fmt: skip
    for bill in outcome.bills_to_pay:
        delivery = _delivery(known.get(bill.coop_code, Coop(bill.coop_code, bill.coop_name)))
        for line in bill.lines:
            yield (
                    bill.coop_code, bill.coop_name, line.product_code, line.name, line.unit,
                    line.asked, line.allocated, _money(line.unit_price),
                    Money(line.market_price), Money(line.subtotal), Money(line.saving),
                    w.line_status[line.status.value], None, *delivery,
            )  # fmt: skip
        yield Bold(
            (bill.coop_code, bill.coop_name, None, w.total_bill, *([None] * 5),
             Money(bill.total), Money(bill.saving), None, bill.delivery_note, *delivery)
        )  # fmt: skip


def _delivery(coop: Coop) -> Row:
    """Where a coop's goods go: its address and contact (None when not known)."""
    return (coop.address or None, coop.contact or None)


def audit_sheet(
    audit: Iterable[AuditEntry],
    round: Round,
    coops: Sequence[Coop],
    w: SheetWords,
    local: LocalZone = WIB_ZONE,
) -> Sheet:
    """Every change, oldest first: a list is sorted by time here; any other iterable (the
    database's `storage.round_rows.AuditLog`) is read in its own order, already by time."""
    return Sheet(
        "audit_log", w.sheet_audit, Rows(lambda: _audit_rows(audit, round, coops, w, local))
    )


def _audit_rows(
    audit: Iterable[AuditEntry],
    round: Round,
    coops: Sequence[Coop],
    w: SheetWords,
    local: LocalZone,
) -> Iterator[Row]:
    coop_names = {coop.code: coop.name for coop in coops}
    product_names = {item.product_code: item.name for item in round.items}
    yield (
            local.time_header(w), w.coop_code, w.coop, w.product_code, w.product, w.old_quantity,
            w.new_quantity, w.actor, w.via, w.message_id,
    )  # fmt: skip
    ordered = sorted(audit, key=lambda e: e.at) if isinstance(audit, Sequence) else audit
    for entry in ordered:
        yield (
                local.text(entry.at), entry.coop_code, coop_names.get(entry.coop_code, ""),
                entry.product_code, product_names.get(entry.product_code, ""),
                entry.old_quantity, entry.new_quantity, entry.actor, entry.via, entry.message_id,
        )  # fmt: skip


def payments_sheet(bills: Sequence[BillDue], w: SheetWords) -> Sheet:
    """What each coop has paid of its bill so far, what is left and what was paid too much,
    each on its own (as the dashboard's bills page shows them): a bill paid beyond its total
    leaves 0, never a negative "left" that would cancel another bill's debt in the total
    row last."""
    rows: list[Row] = [
        (w.coop_code, w.coop, w.bill_number, w.total_bill, w.paid, w.balance, w.overpayment,
         w.status)
    ]  # fmt: skip
    for bill in bills:
        rows.append(
            (bill.coop_code, bill.coop_name, bill.number, Money(bill.total), Money(bill.paid),
             Money(_left(bill)), Money(_paid_over(bill)), _paid_status(bill, w))
        )  # fmt: skip
    total, paid = sum(b.total for b in bills), sum(b.paid for b in bills)
    left, over = sum(_left(b) for b in bills), sum(_paid_over(b) for b in bills)
    rows.append(
        Bold((None, w.total_all, None, Money(total), Money(paid), Money(left), Money(over),
              None))
    )  # fmt: skip
    return Sheet("payments", w.sheet_payments, tuple(rows))


def _left(bill: BillDue) -> int:
    """Still owed on the bill (0 once paid, in full or beyond)."""
    return max(bill.balance, 0)


def _paid_over(bill: BillDue) -> int:
    """Paid beyond the bill, to be returned to the coop (0 for most)."""
    return max(-bill.balance, 0)


def _paid_status(bill: BillDue, w: SheetWords) -> str:
    if bill.balance < 0:
        return w.overpaid
    return w.paid_in_full if bill.settled else w.not_paid


def after_close_sheet(
    progress: SettlementProgress,
    steps: Sequence[AfterCloseStep],
    round_id: int,
    w: SheetWords,
    local: LocalZone = WIB_ZONE,
) -> Sheet:
    """How far the closed round has come (its stage, as the round menu says it, and the
    counts behind it), then each step since the close as `steps` lists them (oldest first,
    as `storage.after_close` reads them): when, what, whose, the money paid, who did it."""
    facts: list[Row] = [
        (w.item, w.value, w.out_of),
        (w.stage, w.after_close_stage[progress.stage.value], None),
        (w.suppliers_confirmed, progress.suppliers_confirmed, progress.suppliers),
        (w.coops_received, progress.coops_received, progress.coops),
        (w.bills_paid, progress.bills_paid, progress.bills),
        (),
    ]
    table: list[Row] = [
        Bold((local.time_header(w), w.step, w.party_code, w.detail, w.paid, w.actor))
    ]
    for step in steps:
        table.append(
            (local.text(step.at), w.step_kind[step.kind.value], step.party,
             step_detail(step, round_id, w), _money(step.amount), step.actor)
        )  # fmt: skip
    return Sheet("after_close", w.sheet_after_close, (*facts, *table))


def step_detail(step: AfterCloseStep, round_id: int, w: SheetWords) -> str:
    """What the step says, in words ("kirim 2026-12-10, 1 baris kurang"), then what a person
    sent or typed with it (a transfer's text, a file, a rejection's reason)."""
    detail = _what(step, round_id, w)
    return w.note.format(detail=detail, note=step.note) if step.note else detail


def _what(step: AfterCloseStep, round_id: int, w: SheetWords) -> str:
    number = bill_number(round_id, step.party, step.supplier_code)
    match step.kind:
        case StepKind.SUPPLIER_CONFIRMED:
            day = step.delivery_on.isoformat() if step.delivery_on else ""
            return w.supplier_confirmed.format(
                delivery=w.delivers_on.format(day=day), shortfall=_shortfall(step, w)
            )
        case StepKind.COOP_RECEIVED:
            return _shortfall(step, w)
        case StepKind.BILL_CHANGED:
            reason = w.change_reason.get(step.reason, step.reason)
            return w.bill_change.format(
                product=step.product_code, old=step.old, new=step.new, reason=reason
            )
        case StepKind.RECEIPT_PHOTO:
            return w.photo
        case StepKind.PROOF_SENT | StepKind.PROOF_HANDLED:
            status = w.proof_status.get(step.status, step.status)
            return w.proof.format(id=step.proof_id, number=number, status=status)
        case StepKind.PAYMENT:
            source = w.payment_source.get(step.source, step.source)
            paid_on = step.paid_on.isoformat() if step.paid_on else ""
            return w.payment.format(number=number, source=source, paid_on=paid_on)


def _shortfall(step: AfterCloseStep, w: SheetWords) -> str:
    if step.short_lines == 1:
        return w.one_line_short
    if step.short_lines:
        return w.lines_short.format(count=step.short_lines)
    return w.all_complete


def round_sheets(
    outcome: RoundOutcome,
    round: Round,
    audit: Iterable[AuditEntry],
    coops: Sequence[Coop],
    bills: Sequence[BillDue] = (),
    steps: Sequence[AfterCloseStep] = (),
    progress: SettlementProgress | None = None,
    local: LocalZone = WIB_ZONE,
    *,
    words: SheetWords,
) -> tuple[Sheet, ...]:
    """Overview, purchase orders, bills, audit log: the order of the workbook's sheets; then,
    once the round has closed, the payments against its bills, and, given how far it has
    come (`progress`), the steps since its close."""
    sheets = [
        overview_sheet(outcome, round, words, local),
        purchase_order_sheet(outcome, coops, words),
        bill_sheet(outcome, coops, words),
        audit_sheet(audit, round, coops, words, local),
    ]
    if bills:
        sheets.append(payments_sheet(bills, words))
    if progress is not None:
        sheets.append(after_close_sheet(progress, steps, round.id, words, local))
    return tuple(sheets)
