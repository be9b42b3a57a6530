"""What is owed and what has been paid: bills of closed rounds against the money received.

A bill is one coop's share of a closed round (`BillDue`): its total as closed, less what
has been paid against it. Who is paid (`Payee`) is fixed at the close: the office collects
(one bill per coop), or each supplier is paid directly (one bill per coop per supplier).

A bank statement's credits are matched to bills without guessing (`match_credits`):

1. a credit whose description names a bill's number ("TG-007-DT", the transfer reference
   every bill asks for) pays that bill, even in part; one naming two bills or more
   ("TG-007-DT DAN TG-007-KKPITB") is reported (`SEVERAL`), never recorded: how much went
   to each is for a person to find out. Where each supplier is paid directly, the coop's
   part alone ("TG-007-DT" for TG-007-DT-BULOG) names the coop's one bill still owing in
   that round; when it owes several, the credit is reported (`NO_SUPPLIER`, with those
   bills): which supplier's it is, the text does not say;
2. otherwise, when its text holds no bill number at all, a credit of exactly the amount
   still owed on one bill, and on no other, pays it (a text naming a number no bill has,
   "TG-007-PAS" for a coop that bought nothing, is about money for no bill here: it is
   never put on another coop's bill because the amounts agree);
3. otherwise it is *ambiguous* (several bills owe that amount) or *unmatched*, as is a
   credit with cents (month-end interest, "1.234,56"): bills are whole Rupiah.
A credit naming a bill that is paid already is reported (`ALREADY_PAID`), never recorded, so
it can be refunded or sorted out by hand. Debits are not payments and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from purchasing.errors import (
    AmountInvalid,
    AmountOverBalance,
    BillAlreadyPaid,
    NoBillToPay,
    ProofHandled,
    SupplierNotNamed,
)
from purchasing.model import Round
from purchasing.outcome import Bill, BillLine
from purchasing.paperwork import bill_number, bill_reference, due_date

_BILL_NUMBER = re.compile(r"(?<![A-Z])TG-?(\d{1,6})-?([A-Z0-9_-]{1,40})\b", re.IGNORECASE)


class Payee(StrEnum):
    """Who the coops pay: the issuing office (or a lead coop) for the whole round, or each
    supplier directly for its goods."""

    OFFICE = "office"
    SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class BillDue:
    round_id: int
    round_name: str
    coop_code: str
    coop_name: str
    total: int
    paid: int = 0
    closed_at: datetime | None = None  # when the round closed: the bill's date
    supplier_code: str = ""  # the supplier it pays directly ("": the office collects)
    supplier_name: str = ""

    @property
    def number(self) -> str:
        return bill_number(self.round_id, self.coop_code, self.supplier_code)

    @property
    def reference(self) -> str:
        """Its number after the round: how a transfer's text names it."""
        return bill_reference(self.coop_code, self.supplier_code).upper()

    @property
    def balance(self) -> int:
        """Still owed (negative: paid too much)."""
        return self.total - self.paid

    @property
    def settled(self) -> bool:
        return self.balance <= 0

    def overdue(self, now: datetime, due_days: int) -> bool:
        """Still owing after its due date (`purchasing.paperwork.due_date`)."""
        if self.settled or self.closed_at is None:
            return False
        return now >= due_date(self.closed_at, due_days)


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of a bank statement: `amount` positive for a credit, negative for a debit,
    in whole Rupiah; `cents` the hundredths beyond it, with the same sign (month-end
    interest "1.234,56" is 1234 and 56, its tax "-246,91" -246 and -91)."""

    line_no: int
    on: date
    description: str
    amount: int
    cents: int = 0

    @classmethod
    def of_cents(cls, line_no: int, on: date, description: str, cents: int) -> StatementLine:
        """The line of an amount counted in hundredths of a Rupiah (123456: Rp 1.234,56)."""
        whole, part = divmod(abs(cents), 100)
        sign = -1 if cents < 0 else 1
        return cls(line_no, on, description, sign * whole, sign * part)

    @property
    def credit(self) -> bool:
        return self.amount > 0 or self.cents > 0

    @property
    def debit(self) -> bool:
        return self.amount < 0 or self.cents < 0

    @property
    def in_cents(self) -> int:
        """The amount in hundredths of a Rupiah, as the statement wrote it."""
        return self.amount * 100 + self.cents


STATEMENT_SLACK_DAYS = 1  # a bank in a zone ahead of the office's may already be tomorrow


def latest_statement_day(today: date) -> date:
    """The last day a statement imported on `today` (the office's day) may hold: a bank books
    nothing ahead of time, so a later day is a misread year (a `Periode` of 2027 read in
    2026), with a day's slack for a bank keeping another zone's day."""
    return today + timedelta(days=STATEMENT_SLACK_DAYS)


class MatchKind(StrEnum):
    PAID = "paid"  # recorded against `bill`
    ALREADY_PAID = "already_paid"  # names a bill with nothing left to pay: not recorded
    SEVERAL = "several"  # names more than one bill: not recorded (how much for each?)
    NO_SUPPLIER = "no_supplier"  # names a coop owing several suppliers, not which: not recorded
    AMBIGUOUS = "ambiguous"  # several bills owe this amount: not recorded
    UNMATCHED = "unmatched"  # no bill fits: not recorded


@dataclass(frozen=True, slots=True)
class CreditMatch:
    line: StatementLine
    kind: MatchKind
    bill: BillDue | None = None  # as it stands after this credit
    candidates: tuple[BillDue, ...] = field(default=())

    @property
    def bills(self) -> tuple[BillDue, ...]:
        """The bill it is about, or the bills it could be about."""
        return (self.bill,) if self.bill is not None else self.candidates


Key = tuple[int, str]  # a bill by its round and reference ("DT", "DT-BULOG")


class _Ledger:
    """The bills as the credits read so far left them, found by number or by coop."""

    def __init__(self, dues: Sequence[BillDue]) -> None:
        self.bills: dict[Key, BillDue] = {(due.round_id, due.reference): due for due in dues}
        self.of_coop: dict[Key, list[Key]] = {}
        for key, due in self.bills.items():
            self.of_coop.setdefault((due.round_id, due.coop_code.upper()), []).append(key)
        self.suppliers = {due.supplier_code.upper() for due in dues if due.supplier_code}

    def pay(self, bill: BillDue) -> None:
        self.bills[(bill.round_id, bill.reference)] = bill

    def meant(self, round_id: int, parts: Sequence[str]) -> tuple[Key, ...]:
        """The bills one number in a text may mean: the bill whose reference is the longest
        start of `parts` (what follows may be glued on: "TG-001-DT-SITI"), or, where each
        supplier is paid directly, the coop's bills when only the coop is named: the one
        still owing, else those still owing, else all of them. Nothing for a number of no
        bill, and for a coop named with a supplier it has no bill of ("DT-BULOG")."""
        for end in range(len(parts), 0, -1):
            reference = "-".join(parts[:end])
            if (round_id, reference) in self.bills:
                return ((round_id, reference),)
            coop = self.of_coop.get((round_id, reference))
            if coop is None:
                continue
            if end < len(parts) and parts[end] in self.suppliers:
                return ()
            owing = tuple(key for key in coop if not self.bills[key].settled)
            return owing or tuple(coop)
        return ()


def match_credits(lines: Iterable[StatementLine], dues: Sequence[BillDue]) -> list[CreditMatch]:
    """Each credit of `lines`, in order, matched against `dues` (which the credits before it
    have already paid down)."""
    ledger = _Ledger(dues)
    matches: list[CreditMatch] = []
    for line in lines:
        if not line.credit:
            continue
        match = _match(line, ledger)
        if match.kind is MatchKind.PAID and match.bill is not None:
            ledger.pay(match.bill)
        matches.append(match)
    return matches


def _named(description: str, ledger: _Ledger) -> list[tuple[BillDue, ...]]:
    """What each bill number in a transfer's text means (`_Ledger.meant`), each meaning
    once, in the order named; a number meaning more bills than another one (the coop alone
    beside its bill's full number) adds nothing."""
    meanings = [
        meant
        for found in _BILL_NUMBER.finditer(description)
        if (meant := ledger.meant(int(found[1]), found[2].upper().split("-")))
    ]
    distinct: list[tuple[Key, ...]] = []
    for meant in meanings:
        vaguer = any(set(other) < set(meant) for other in meanings)
        if not vaguer and meant not in distinct:
            distinct.append(meant)
    return [tuple(ledger.bills[key] for key in meant) for meant in distinct]


def _match(line: StatementLine, ledger: _Ledger) -> CreditMatch:
    if line.cents:
        return CreditMatch(line, MatchKind.UNMATCHED)  # bills are whole Rupiah: not a payment
    named = _named(line.description, ledger)
    if len(named) > 1:
        several = {(bill.round_id, bill.reference): bill for bills in named for bill in bills}
        return CreditMatch(line, MatchKind.SEVERAL, candidates=tuple(several.values()))
    if named:
        [bills] = named
        if all(bill.settled for bill in bills):
            if len(bills) == 1:
                return CreditMatch(line, MatchKind.ALREADY_PAID, bills[0])
            return CreditMatch(line, MatchKind.ALREADY_PAID, candidates=bills)
        if len(bills) > 1:
            return CreditMatch(line, MatchKind.NO_SUPPLIER, candidates=bills)
        return CreditMatch(line, MatchKind.PAID, _paid(bills[0], line.amount))
    if _BILL_NUMBER.search(line.description):
        return CreditMatch(line, MatchKind.UNMATCHED)  # a number, but of no bill we have
    owing = [due for due in ledger.bills.values() if not due.settled and due.balance == line.amount]
    if len(owing) == 1:
        return CreditMatch(line, MatchKind.PAID, _paid(owing[0], line.amount))
    if owing:
        return CreditMatch(line, MatchKind.AMBIGUOUS, candidates=tuple(owing))
    return CreditMatch(line, MatchKind.UNMATCHED)


def _paid(bill: BillDue, amount: int) -> BillDue:
    return replace(bill, paid=bill.paid + amount)


class AfterClose(StrEnum):
    """Where a closed round stands: `closed` (purchase orders out), `ordered` (every supplier
    confirmed), `delivered` (every coop with goods confirmed receipt), `settled` (every
    bill paid). Each stage needs the ones before it. `nothing_bought`: the close bought
    nothing (no product reached its MOQ, or nobody ordered), so there is no purchase order
    nor bill to follow (not "settled": nobody paid anything)."""

    CLOSED = "closed"
    ORDERED = "ordered"
    DELIVERED = "delivered"
    SETTLED = "settled"
    NOTHING_BOUGHT = "nothing_bought"


@dataclass(frozen=True, slots=True)
class SettlementProgress:
    suppliers: int  # with something to deliver
    suppliers_confirmed: int
    coops: int  # with goods coming
    coops_received: int
    bills: int  # with money to pay
    bills_paid: int

    @property
    def stage(self) -> AfterClose:
        if self.suppliers == self.coops == self.bills == 0:
            return AfterClose.NOTHING_BOUGHT
        if self.suppliers_confirmed < self.suppliers:
            return AfterClose.CLOSED
        if self.coops_received < self.coops:
            return AfterClose.ORDERED
        if self.bills_paid < self.bills:
            return AfterClose.DELIVERED
        return AfterClose.SETTLED


def bill_per_supplier(bill: Bill, round_: Round) -> dict[str, Bill]:
    """A coop's bill of the round split by supplier, for coops that pay each supplier
    directly: per supplier code, its lines; suppliers it owes nothing are left out."""
    split: dict[str, list[BillLine]] = {}
    for line in bill.lines:
        item = round_.item(line.product_code)
        if item is not None:
            split.setdefault(item.supplier_code, []).append(line)
    return {
        code: replace(bill, lines=tuple(lines))
        for code, lines in sorted(split.items())
        if sum(line.subtotal for line in lines) > 0
    }


def bill_to_pay(bills: Sequence[BillDue], coop_code: str, *, proof: bool = True) -> BillDue:
    """The coop's bill a proof of payment is kept with (`proof`), or the one to pay next: its
    oldest bill still owing (NoBillToPay when it owes nothing). Where each supplier is paid
    directly, that is the first of the round's bills still owing: it places the proof in its
    round, and the admin who verifies it names the supplier (`check_supplier_named`)."""
    for bill in bills:
        if bill.coop_code == coop_code and not bill.settled:
            return bill
    raise NoBillToPay(coop_code=coop_code, proof=proof)


def check_pending(proof_id: int, status: str) -> None:
    """A proof is verified or rejected once (ProofHandled for a second press)."""
    if status != "pending":
        raise ProofHandled(proof_id=proof_id, status=status)


def check_supplier_named(
    proof_id: int, owing: Sequence[BillDue], supplier: str | None, amount: int | None = None
) -> None:
    """Where a coop pays each supplier directly, a proof is sent for the coop, not for one of
    its bills (the treasurer names none): verifying it (of `amount`, None for all that is
    owed) while the coop still owes several suppliers (`owing`: its bills still owing in the
    proof's round) names the `supplier` the money went to (SupplierNotNamed otherwise)."""
    if supplier is None and sum(1 for bill in owing if bill.supplier_code) > 1:
        bills = [
            {"number": bill.number, "supplier_code": bill.supplier_code,
             "supplier": bill.supplier_name, "balance": bill.balance}
            for bill in owing
        ]  # fmt: skip
        raise SupplierNotNamed(proof_id=proof_id, bills=bills, amount=amount)


def supplier_paid(filed_under: str, owing: Sequence[BillDue], named: str | None) -> str:
    """The supplier whose bill a verified proof pays: the one staff `named`, else the coop's
    one supplier bill still `owing` in the round, else the bill the proof was filed under
    (`filed_under`: "" where the office is paid)."""
    if named is not None:
        return named
    suppliers = [bill.supplier_code for bill in owing if bill.supplier_code]
    return suppliers[0] if len(suppliers) == 1 else filed_under


def check_still_owing(bill: BillDue, proof_id: int) -> None:
    """A proof is verified against a bill with something left to pay (BillAlreadyPaid)."""
    if bill.settled:
        raise BillAlreadyPaid(
            proof_id=proof_id, number=bill.number, supplier_code=bill.supplier_code
        )


def check_within_balance(bill: BillDue, amount: int) -> None:
    """A proof verifies at most what the bill still owes (AmountOverBalance beyond it)."""
    if amount > bill.balance:
        raise AmountOverBalance(amount=amount, balance=bill.balance, number=bill.number)


_AMOUNT = re.compile(r"(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,-|,00)?", re.IGNORECASE)
LARGEST_AMOUNT = 10**12


def parse_amount(text: str) -> int:
    """Whole Rupiah typed by staff: "2500000", "2.500.000", "Rp 2.500.000,-"."""
    match = _AMOUNT.fullmatch(text.strip())
    amount = int(match[1].replace(".", "")) if match else 0
    if not 0 < amount <= LARGEST_AMOUNT:
        too_large = amount > LARGEST_AMOUNT
        raise AmountInvalid(raw=text.strip()[:32], too_large=too_large, maximum=LARGEST_AMOUNT)
    return amount
