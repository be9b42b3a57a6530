"""`/pembayaran [ID]` (alias /payments): the bills of closed rounds still owing, per coop,
with what each has paid (`usecases.payments.outstanding`). Payments are recorded by
importing the bank statement (`belanja-bareng payments import`, docs/settlement.md)."""

from __future__ import annotations

from dataclasses import replace

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import Verb
from messages.replies import Reply
from purchasing.settlement import parse_amount
from usecases.payments import owing, reject_proof, verify_proof

MAX_REASON = 300  # characters of a rejection's reason passed on to the treasurer


@admin_only
async def show_outstanding(services: Services, turn: Turn) -> list[Reply]:
    typed = turn.args.strip()
    if typed and not typed.isdigit():
        return [turn.reply("admin_payments_usage")]
    found = await owing(services.db, int(typed) if typed else None)
    return [turn.reply("admin_payments", found.context())]


@admin_only
async def accept_proof(services: Services, turn: Turn) -> list[Reply]:
    """ "pa:<proof>": the transfer covers what the bill still owes; "pa:<proof>:<supplier>":
    what the coop's bill of that supplier still owes (suppliers paid directly)."""
    assert turn.payload is not None
    payload = turn.payload
    supplier = payload.str_arg(1) if len(payload.args) > 1 else None
    bill = await verify_proof(services, payload.int_arg(0), turn.event.actor, None, supplier)
    return [replace(turn.reply("admin_proof_verified", {"bill": bill}), replace=True)]


@admin_only
async def refuse_proof(services: Services, turn: Turn) -> list[Reply]:
    """ "pr:<proof>": the file shows no payment; the treasurer is asked for another."""
    assert turn.payload is not None
    proof = await reject_proof(services, turn.payload.int_arg(0), turn.event.actor)
    return [
        replace(turn.reply("admin_proof_rejected", {"coop_code": proof.coop_code}), replace=True)
    ]


@admin_only
async def reject_with_reason(services: Services, turn: Turn) -> list[Reply]:
    """`/tolak BUKTI ALASAN`: reject the proof and tell the treasurer why."""
    parts = turn.args.split(maxsplit=1)
    if not parts or not parts[0].isdigit():
        return [turn.reply("admin_reject_usage")]
    reason = parts[1].strip()[:MAX_REASON] if len(parts) == 2 else ""
    proof = await reject_proof(services, int(parts[0]), turn.event.actor, reason)
    return [turn.reply("admin_proof_rejected", {"coop_code": proof.coop_code})]


@admin_only
async def verify_part(services: Services, turn: Turn) -> list[Reply]:
    """`/verifikasi BUKTI JUMLAH [PEMASOK]`: the transfer on the proof was of JUMLAH (part of
    the bill; of that supplier's bill where suppliers are paid directly)."""
    parts = turn.args.split(maxsplit=1)
    if len(parts) != 2 or not parts[0].isdigit():
        return [turn.reply("admin_verify_usage")]
    amount, supplier = _amount_and_supplier(parts[1])
    bill = await verify_proof(services, int(parts[0]), turn.event.actor, amount, supplier)
    return [turn.reply("admin_proof_verified", {"bill": bill})]


def _amount_and_supplier(text: str) -> tuple[int, str | None]:
    """ "Rp 2.500.000" or "2.500.000 BULOG": the amount, and the supplier when one is named."""
    amount_text, _, last = text.strip().rpartition(" ")
    if amount_text and last.lower() != "rp" and not last[:1].isdigit():
        return parse_amount(amount_text), last
    return parse_amount(text), None


COMMANDS: dict[str, Handler] = {
    "pembayaran": show_outstanding,
    "payments": show_outstanding,
    "verifikasi": verify_part,
    "tolak": reject_with_reason,
    "reject": reject_with_reason,
    "verify": verify_part,
}
CALLBACKS: dict[Verb, Handler] = {Verb.PROOF_ACCEPT: accept_proof, Verb.PROOF_REJECT: refuse_proof}
