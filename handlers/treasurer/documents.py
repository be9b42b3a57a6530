"""`/tagihan` (alias /bill): a party's document of the last closed round, fetched again.

A treasurer gets the bill of the coop they act for (where each supplier is paid directly,
then one bill per supplier), a supplier's rep that supplier's purchase order, each as at
the close: the same text with the PDF attached (a coop owing nothing, its every line
unfilled or cut to 0, reads that there is nothing to pay, and gets no PDF). Dinas staff name
whose: `/tagihan KODE` (a coop's bill or a supplier's purchase order, which tells staff
that the supplier has yet to confirm it instead of showing the supplier's confirm buttons,
unless they speak for that supplier too); a rep may name only
their own coop or supplier (the same as `/tagihan` alone for it), any other code is refused
with the hint to send `/tagihan` alone. Before any round has closed, or for a party with
nothing in it, the answer says so.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.identity import Person
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.last_bill import closed_bill
from messages.replies import FileKind, FileRequest, Reply
from purchasing.model import Coop, Round, Supplier
from storage import rounds, supply
from storage.people.invites import find_party
from storage.round_parties import coops_at_close
from usecases.notices.summaries import confirm_all_buttons
from usecases.notices.summary_contexts import purchase_order_context
from usecases.rounds import round_outcome


async def document_command(services: Services, turn: Turn) -> list[Reply]:
    typed = turn.args.strip().upper()
    person = turn.person
    if typed and not person.is_admin and typed not in {rep.coop_code for rep in person.reps}:
        return [error_reply(person, "document_of_another", {"code": typed[:16], **_own(person)})]
    party = await _party(services, turn, typed)
    if party is None and turn.person.is_admin and not turn.person.reps:
        return [turn.reply("admin_document_usage")]
    if party is None:
        return await join.coop_needed(services, turn, wanted="bill")
    closed = await rounds.closed_rounds(services.db)
    if not closed:
        return [await _none(services, turn, party, None)]
    round_ = closed[0]
    if isinstance(party, Supplier):
        reply: Reply | None = await _purchase_order(services, turn, round_, party)
        kind = FileKind.PURCHASE_ORDER
    else:
        reply = await closed_bill(services, turn, round_, party.code)
        kind = FileKind.BILL
    if reply is None:
        return [await _none(services, turn, party, round_)]
    if kind is FileKind.BILL and not reply.context.get("total"):
        return [reply]  # the coop owes nothing: it is told so, with no bill to print or pay
    parts = reply.context.get("supplier_bills")
    if (
        isinstance(parts, list) and parts
    ):  # the coop pays each supplier directly: a bill (and a PDF) per supplier
        return [
            reply,
            *[await _supplier_bill(services, turn, round_, party.code, p) for p in parts],
        ]
    return [await _with_file(services, reply, FileRequest(kind, round_.id, party.code))]


def _own(person: Person) -> dict[str, object]:
    """What `/tagihan` alone gives this person: their coop's bill, their supplier's purchase
    order, or neither."""
    supplier = bool(person.supplier_codes)
    return {"own": "coop" if person.coop_codes else "supplier" if supplier else ""}


async def _none(
    services: Services, turn: Turn, party: Coop | Supplier, round_: Round | None
) -> Reply:
    """The party has no document (no round closed yet, or it had no part in the last); while
    a round is open (`round_open`), where to see its orders instead."""
    supplier = isinstance(party, Supplier)
    round_open = await rounds.current_round(services.db, services.now()) is not None
    context = {"party": party, "round": round_, "supplier": supplier, "round_open": round_open}
    return turn.reply("document_none", {**context, "staff": turn.person.is_admin})


async def _supplier_bill(
    services: Services, turn: Turn, round_: Round, coop: str, part: dict[str, object]
) -> Reply:
    reply = turn.reply("bill_to_supplier", {**part, "round_name": round_.name})
    request = FileRequest(FileKind.BILL, round_.id, coop, str(part["supplier_code"]))
    return await _with_file(services, reply, request)


async def _party(services: Services, turn: Turn, typed: str) -> Coop | Supplier | None:
    """Whose document: the code an admin typed (or a rep typed for their own coop or
    supplier), the coop a treasurer acts for, or the supplier a supplier's rep speaks for."""
    if typed:
        return await find_party(services.db, typed)
    person = turn.person
    code = person.acting_coop_code
    if code is None:
        suppliers = list(person.supplier_codes)
        if not suppliers:
            return None
        return await find_party(services.db, suppliers[0])
    return await find_party(services.db, code)


async def _purchase_order(
    services: Services, turn: Turn, round_: Round, supplier: Supplier
) -> Reply | None:
    outcome = await round_outcome(services.db, round_.id)
    order = next((o for o in outcome.purchase_orders if o.supplier_code == supplier.code), None)
    if order is None:
        return None
    coops = {coop.code: coop for coop in await coops_at_close(services.db, round_.id)}
    waiting = await supply.confirmed_on(services.db, round_.id, supplier.code) is None
    # Staff who do not speak for the supplier read that it is awaited, with no buttons.
    for_staff = supplier.code not in turn.person.supplier_codes
    context = {
        **purchase_order_context(round_, order, coops),
        "awaiting_confirmation": waiting,
        "for_staff": for_staff,
    }
    reply = turn.reply("summary_purchase_order", context)
    buttons = waiting and not for_staff
    return replace(reply, options=confirm_all_buttons(round_, supplier.code) if buttons else ())


async def _with_file(services: Services, reply: Reply, request: FileRequest) -> Reply:
    if services.round_file is None:
        return reply
    return replace(reply, attachment=await services.round_file(request, reply.language))


COMMANDS: dict[str, Handler] = {"tagihan": document_command, "bill": document_command}
CALLBACKS: dict[str, Handler] = {}
