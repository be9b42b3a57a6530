"""Money received against the bills of closed rounds.

`import_statement` is `belanja-bareng payments import FILE`: the bank statement is read
(`spreadsheets.statement`), its credits matched to the bills without guessing
(`purchasing.settlement.match_credits`), and in ONE transaction each matched credit is
recorded and the coop's treasurers are told it arrived. A credit recorded before (the same
statement imported again, or one that overlaps) is recognised by its line and skipped, so
importing twice changes nothing. `outstanding` lists the bills still owing.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.model import RoundStatus
from purchasing.settlement import (
    BillDue,
    CreditMatch,
    MatchKind,
    StatementLine,
    bill_to_pay,
    check_pending,
    check_still_owing,
    check_supplier_named,
    check_within_balance,
    match_credits,
    supplier_paid,
)
from purchasing.times import wib_today
from spreadsheets.statement import read_statement
from storage import payments, rounds
from storage.database import Connection
from storage.errors import UnknownProof, UnknownRound
from storage.people.audience import load_audience
from storage.rounds import RoundHeading
from usecases.context import UseCaseContext
from usecases.kept_files import keep, place_for, shown_as_picture
from usecases.notices.posts import Post, queue_posts, to_treasurers

SOURCE_STATEMENT = "statement"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What one statement did: the credits matched and recorded, and those left for a
    person to sort out; `repeated` lines were recorded by an earlier import."""

    file: str
    matches: list[CreditMatch]
    repeated: int
    debits: int

    def of(self, kind: MatchKind) -> list[CreditMatch]:
        return [match for match in self.matches if match.kind is kind]

    def context(self) -> dict[str, object]:
        """What the chat's and the command line's "statement imported" texts show."""
        return {
            "file": self.file,
            "paid": self.of(MatchKind.PAID),
            "already_paid": self.of(MatchKind.ALREADY_PAID),
            "several": self.of(MatchKind.SEVERAL),
            "no_supplier": self.of(MatchKind.NO_SUPPLIER),
            "ambiguous": self.of(MatchKind.AMBIGUOUS),
            "unmatched": self.of(MatchKind.UNMATCHED),
            "repeated": self.repeated,
            "debits": self.debits,
        }


async def import_statement(
    ctx: UseCaseContext, path: Path, name: str, recorded_by: str
) -> Reconciliation:
    """Raises ImportFailed (nothing recorded) when the file cannot be read."""
    now = ctx.now()
    today = wib_today(now, ctx.timezone)  # the office's day: a statement holds none after it
    lines = await asyncio.to_thread(read_statement, path, name, today=today)
    keys = _line_keys(lines)
    async with ctx.db.transaction() as tx:
        seen = await payments.recorded_keys(tx, list(keys.values()))
        fresh = [line for line in lines if keys[line.line_no] not in seen and line.credit]
        matches = match_credits(fresh, await payments.bills_due(tx))
        paid = [match for match in matches if match.kind is MatchKind.PAID]
        for match in paid:
            assert match.bill is not None
            line = match.line
            await payments.record_payment(
                tx, match.bill, line.amount, line.on, line.description, SOURCE_STATEMENT,
                keys[line.line_no], recorded_by, now,
            )  # fmt: skip
        await queue_posts(tx, await _receipts(tx, paid, keys, ctx.default_language), now)
    repeated = sum(1 for line in lines if keys[line.line_no] in seen)
    debits = sum(1 for line in lines if line.debit)
    return Reconciliation(name, matches, repeated, debits)


async def outstanding(conn: Connection, round_id: int | None = None) -> list[BillDue]:
    """The bills of closed rounds (or of one) with money still owed, oldest round first."""
    return [bill for bill in await payments.bills_due(conn, round_id) if not bill.settled]


@dataclass(frozen=True, slots=True)
class Owing:
    """The bills still owing (`outstanding`), and why there are none when there are none:
    the round asked about is not closed yet, or no round has closed at all."""

    bills: list[BillDue]
    round: RoundHeading | None  # the round asked about, if one was
    any_closed: bool  # whether any round has closed, so that bills exist at all

    def context(self) -> dict[str, object]:
        total = sum(bill.balance for bill in self.bills)
        return {"bills": self.bills, "total": total, "round": self.round,
                "any_closed": self.any_closed}  # fmt: skip


async def owing(conn: Connection, round_id: int | None = None) -> Owing:
    """What `/pembayaran [ID]` and `payments list [ROUND]` show; UnknownRound for an id no
    round has."""
    headings = await rounds.round_headings(conn)
    asked = next((heading for heading in headings if heading.id == round_id), None)
    if round_id is not None and asked is None:
        raise UnknownRound(round_id=round_id)
    any_closed = any(heading.status is RoundStatus.CLOSED for heading in headings)
    return Owing(await outstanding(conn, round_id), asked, any_closed)


def _line_keys(lines: Sequence[StatementLine]) -> dict[int, str]:
    """A key per line that names the credit itself, not the file: two identical lines of one
    statement are two transfers, the same line in a later export is the same transfer."""
    keys: dict[int, str] = {}
    count: Counter[tuple[str, str, str]] = Counter()
    for line in lines:
        # a whole amount as keys were made before amounts had cents: "1250000"
        amount = str(line.amount)
        if line.cents:
            amount = f"{'-' if line.debit else ''}{abs(line.amount)}.{abs(line.cents):02d}"
        what = (line.on.isoformat(), " ".join(line.description.split()), amount)
        count[what] += 1
        text = "|".join((*map(str, what), str(count[what])))
        keys[line.line_no] = hashlib.sha256(text.encode()).hexdigest()[:32]
    return keys


async def _receipts(
    conn: Connection, paid: Sequence[CreditMatch], keys: dict[int, str], default_language: str
) -> list[Post]:
    """Tell each paying coop's treasurers that the money arrived and what is left."""
    if not paid:
        return []
    audience = await load_audience(conn)
    posts = []
    for match in paid:
        bill = match.bill
        assert bill is not None
        context = {
            "number": bill.number,
            "round_name": bill.round_name,
            "coop_name": bill.coop_name,
            "amount": match.line.amount,
            "paid_on": match.line.on.isoformat(),
            "balance": bill.balance,
        }
        key = f"payment:{keys[match.line.line_no]}"
        posts += to_treasurers(
            audience, bill.coop_code, "payment_received", context, key, default_language
        )
    return posts


SOURCE_PROOF = "proof"


async def bills_owed(conn: Connection, coop_code: str) -> list[BillDue]:
    """The coop's bills still owing in the oldest round it owes anything for: one, or one
    per supplier where each is paid directly; the first is the one a proof sent now is kept
    for (NoBillToPay, with no proof, when the coop owes nothing)."""
    bills = await payments.bills_due(conn)
    first = bill_to_pay(bills, coop_code, proof=False)
    return [
        b
        for b in bills
        if b.round_id == first.round_id and b.coop_code == coop_code and not b.settled
    ]


@dataclass(frozen=True, slots=True)
class ProofReceived:
    proof: payments.Proof
    bill: BillDue
    path: Path


async def submit_proof(
    ctx: UseCaseContext, coop_code: str, file: Path, name: str, actor: str
) -> ProofReceived | None:
    """Keep a proof of transfer for the coop's oldest unpaid bill and show it to the admins
    (with buttons to verify or reject it); None when the same file came before. Raises
    NoBillToPay when the coop owes nothing."""
    now = ctx.now()
    digest, stored = await place_for(ctx.db.path, file, name)
    async with ctx.db.transaction() as tx:
        bill = bill_to_pay(await payments.bills_due(tx), coop_code)
        proof = await payments.add_proof(tx, bill, stored.name, digest, actor, now)
        if proof is None:
            return None
        await keep(file, stored)
        received = ProofReceived(proof, bill, stored)
        await queue_posts(tx, await _proof_notices(tx, received, ctx.default_language), now)
    return received


async def verify_proof(
    ctx: UseCaseContext,
    proof_id: int,
    actor: str,
    amount: int | None = None,
    supplier_code: str | None = None,
) -> BillDue:
    """Record the payment a proof shows (`amount`, default: what the bill still owes) against
    the bill it was sent for, or, where suppliers are paid directly, the coop's bill of
    `supplier_code` in that round (unnamed: its one bill still owing); tell the treasurers;
    the bill as it stands after. Raises ProofHandled for a proof verified or rejected before,
    SupplierNotNamed for no supplier where the coop still owes several, UnknownProof for a
    bill the coop does not have, BillAlreadyPaid for one with nothing left to pay (then
    nothing changes)."""
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        proof = await _pending(tx, proof_id)
        owing = await _owing(tx, proof.round_id, proof.coop_code)
        check_supplier_named(proof_id, owing, supplier_code, amount)
        supplier = supplier_paid(proof.supplier_code, owing, supplier_code)
        bill = await _bill_of(tx, proof, supplier)
        check_still_owing(bill, proof_id)
        paid = amount if amount is not None else bill.balance
        check_within_balance(bill, paid)
        await payments.handle_proof(
            tx, proof_id, "verified", actor, now, supplier_code=bill.supplier_code
        )
        today = wib_today(now, ctx.timezone)  # the office's day, not UTC's (07.00 WIB)
        if paid > 0:
            await payments.record_payment(
                tx, bill, paid, today, proof.file, SOURCE_PROOF, f"proof:{proof_id}",
                actor, now,
            )  # fmt: skip
        after = replace(bill, paid=bill.paid + paid)
        audience = await load_audience(tx)
        context = {
            "number": after.number, "round_name": after.round_name,
            "coop_name": after.coop_name, "amount": paid, "paid_on": today.isoformat(),
            "balance": after.balance,
        }  # fmt: skip
        key = f"payment:proof:{proof_id}"
        posts = to_treasurers(
            audience, after.coop_code, "payment_received", context, key, ctx.default_language
        )
        await queue_posts(tx, posts, now)
    return after


async def _bill_of(tx: Connection, proof: payments.Proof, supplier_code: str | None) -> BillDue:
    """The coop's bill in the proof's round that a verification pays."""
    wanted = proof.supplier_code if supplier_code is None else supplier_code.upper()
    for bill in await payments.bills_due(tx, proof.round_id):
        if bill.coop_code == proof.coop_code and bill.supplier_code.upper() == wanted.upper():
            return bill
    raise UnknownProof(proof_id=proof.id)


async def reject_proof(
    ctx: UseCaseContext, proof_id: int, actor: str, reason: str = ""
) -> payments.Proof:
    """The proof does not show a payment: the treasurers are told to send another (and why,
    when the admin gave a `reason`), with the bill it was sent for, or, where each supplier
    is paid directly, the coop's bills of that round still owing (it was sent for none)."""
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        proof = await _pending(tx, proof_id)
        await payments.handle_proof(tx, proof_id, "rejected", actor, now, reason or None)
        bill = await _bill_of(tx, proof, None)
        owing = await _owing(tx, proof.round_id, proof.coop_code) if bill.supplier_code else []
        audience = await load_audience(tx)
        context = {
            "number": bill.number, "coop_name": bill.coop_name, "balance": bill.balance,
            "reason": reason, "round_name": bill.round_name,
            "to_suppliers": bool(bill.supplier_code), "bills": [_owing_line(b) for b in owing],
        }  # fmt: skip
        posts = to_treasurers(
            audience, proof.coop_code, "payment_proof_rejected", context,
            f"proof_rejected:{proof_id}", ctx.default_language,
        )  # fmt: skip
        await queue_posts(tx, posts, now)
    return proof


async def _pending(tx: Connection, proof_id: int) -> payments.Proof:
    proof = await payments.get_proof(tx, proof_id)
    if proof is None:
        raise UnknownProof(proof_id=proof_id)
    check_pending(proof_id, proof.status)
    return proof


async def _proof_notices(
    tx: Connection, received: ProofReceived, default_language: str
) -> list[Post]:
    """To each admin: the file, with a "Lunas" button per bill of the coop still owing in
    that round (one, unless each supplier is paid directly) and one to reject it."""
    audience = await load_audience(tx)
    bill, proof = received.bill, received.proof
    owing = await _owing(tx, bill.round_id, bill.coop_code)
    context = {
        "proof_id": proof.id,
        "number": bill.number,
        "coop_name": bill.coop_name,
        "balance": bill.balance,
        "round_name": bill.round_name,
        "bills": [_owing_line(b) for b in owing] if bill.supplier_code else [],
    }
    rows = tuple((_accept(proof.id, b),) for b in owing) if bill.supplier_code else ()
    accept = rows or ((_accept(proof.id, bill),),)
    reject = Option("buttons/proof_reject", payload=encode(Verb.PROOF_REJECT, proof.id))
    posts = []
    for platform, user_id in audience.admins:
        language = audience.language(platform, user_id, default_language)
        reply = Reply(
            "payment_proof_received", context, language, (*accept, (reject,)),
            attachment=received.path, picture=shown_as_picture(received.path),
        )  # fmt: skip
        key = f"proof:{proof.id}:{platform}:{user_id}"
        posts.append(Post(platform, user_id, "payment_proof_received", key, reply))
    return posts


def _accept(proof_id: int, bill: BillDue) -> Option:
    """ "pa:<proof>" pays the bill it was sent for; "pa:<proof>:<supplier>" that supplier's."""
    label = {"balance": bill.balance, "supplier": bill.supplier_name}
    if bill.supplier_code:
        return Option("buttons/proof_accept", label,
                      encode(Verb.PROOF_ACCEPT, proof_id, bill.supplier_code))  # fmt: skip
    return Option("buttons/proof_accept", label, encode(Verb.PROOF_ACCEPT, proof_id))


async def _owing(tx: Connection, round_id: int, coop_code: str) -> list[BillDue]:
    """The coop's bills of the round still owing (one per supplier where each is paid
    directly)."""
    bills = await payments.bills_due(tx, round_id)
    return [bill for bill in bills if bill.coop_code == coop_code and not bill.settled]


def _owing_line(bill: BillDue) -> dict[str, object]:
    return {"number": bill.number, "supplier": bill.supplier_name, "balance": bill.balance}
