"""A treasurer sends a file (a photo or PDF of the transfer) in the private chat: it is kept
as the proof of payment of the coop's oldest unpaid bill, and the admins get it with buttons
to verify or reject it (`usecases.payments.submit_proof`)."""

from __future__ import annotations

from pathlib import Path

from handlers.admin.catalog_upload import ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES
from handlers.contract.events import IncomingDocument
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from handlers.treasurer import join
from messages.replies import Reply
from usecases.payments import bills_owed, submit_proof
from usecases.preferences import stop_waiting

PROOF_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
# The saved conversation of someone whose next file is a photo of damaged goods (`receipt`),
# not a proof of transfer.
PHOTO_EXPECTED = "receipt_photo"


def is_proof_name(name: str | None) -> bool:
    """Whether a treasurer's file of this name is read as a proof of payment (and so fetched);
    a CSV or XLSX is not: it is answered as a catalog file only admins may send."""
    return Path(name or "").suffix.lower() not in ACCEPTED_SUFFIXES


def is_proof_file(name: str | None) -> bool:
    """Whether a treasurer's file of this name is worth fetching: a photo or PDF."""
    return Path(name or "").suffix.lower() in PROOF_SUFFIXES


async def send_proof(services: Services, turn: Turn) -> list[Reply]:
    document = turn.event.document
    assert document is not None
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    refused = refuse_picture(turn, document)
    if refused is not None:
        return [refused]
    assert document.path is not None  # refuse_picture refuses a file not fetched
    file: dict[str, object] = {"file": document.name}
    received = await submit_proof(services, coop, document.path, document.name, turn.audit.actor)
    if received is None:
        return [turn.reply("proof_again", file)]
    bill = received.bill
    context = {"number": bill.number, "balance": bill.balance, "to_supplier": bill.supplier_name}
    return [turn.reply("proof_received", context)]


def refuse_picture(turn: Turn, document: IncomingDocument) -> Reply | None:
    """Why a file sent as a picture (a transfer, damaged goods) cannot be kept: not a photo
    or PDF, or too big (or not fetched); None when it can."""
    suffix = Path(document.name).suffix.lower()
    file: dict[str, object] = {"file": document.name}
    if suffix not in PROOF_SUFFIXES:
        return error_reply(turn.person, "proof_wrong_type", {**file, "suffix": suffix})
    if document.path is None or (document.size or 0) > MAX_UPLOAD_BYTES:
        limit = {"limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        return error_reply(turn.person, "proof_too_big", {**file, **limit})
    return None


async def how_to_pay(services: Services, turn: Turn) -> list[Reply]:
    """`/bayar`: the bill a transfer should pay now (one per supplier where each is paid
    directly), its number to write with the transfer, and how to send the proof. The next
    file is then that proof, not a photo of damaged goods asked for before."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn, wanted="pay")
    bills = await bills_owed(services.db, coop)
    saved = turn.person.conversation
    if saved is not None and saved.state.get("expect") == PHOTO_EXPECTED:
        await stop_waiting(services, turn.event.platform, turn.event.user_id)
    return [turn.reply("how_to_pay", {"bill": bills[0], "bills": bills})]


COMMANDS: dict[str, Handler] = {"bayar": how_to_pay, "pay": how_to_pay}
CALLBACKS: dict[str, Handler] = {}
