"""Joining: `/start` with an invite code links a chat to a coop (or, with a supplier's invite,
to a supplier); choosing the coop one acts for.

`/start` alone greets: a known rep gets the main menu, a supplier's rep learns that their
purchase order comes at close and that only coops order, anyone else learns to ask the
Dinas for an invite code. A Telegram deep link (`t.me/<bot>?start=<code>`) arrives as
`/start <code>`. Someone who represents several coops picks the one they act for with the
"c:<coop>" buttons (or `/koperasi` later); other flows send them here through `coop_needed`.

A coop's treasurer who joins with a supplier's invite stays the coop's treasurer, and the
answer says that they now act for the supplier too (its purchase order comes to them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from handlers.contract.flow import Handler, Turn
from handlers.contract.identity import Person, identify
from handlers.contract.services import Services
from handlers.help import show_help
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply, rows
from purchasing.model import Coop, Rep, RepRole, Supplier
from storage import rounds
from storage.catalog.reads import list_coops, list_suppliers
from usecases.people import join_with_invite
from usecases.preferences import act_for_coop

# What someone who acts for no coop wanted to do as its treasurer.
Wanted = Literal["order", "receipt", "pay", "bill"]


async def start(services: Services, turn: Turn) -> list[Reply]:
    code = turn.args.strip()
    if code:
        return await _redeem(services, turn, code)
    if turn.person.is_admin:
        return await show_help(services, turn)  # the admin's commands, and a rep's if also one
    if not turn.person.coop_codes:
        return [await not_a_treasurer_reply(services, turn, "join_welcome")]
    if turn.person.acting_coop_code is None:
        return [await choose_coop_reply(services, turn.person, "join_choose_coop")]
    return [await menu_reply(services, turn.person, "join_menu")]


async def _redeem(services: Services, turn: Turn, code: str) -> list[Reply]:
    event = turn.event
    rep = await join_with_invite(services, code, event.platform, event.user_id, event.display_name)
    if rep.role is RepRole.SUPPLIER:
        return [await _supplier_joined(services, turn, rep)]
    person = await identify(services, event)
    coop = (await _coops_of(services, (rep.coop_code,)))[0]
    if person.acting_coop_code is None:
        reply = await choose_coop_reply(services, person, "join_done")
    else:
        reply = await menu_reply(services, person, "join_done")
    return [replace(reply, context={**reply.context, "coop": coop})]


async def switch_coop(services: Services, turn: Turn) -> list[Reply]:
    """`/koperasi`: show the coops this person may act for."""
    if not turn.person.coop_codes:
        return [await not_a_treasurer_reply(services, turn, "join_welcome")]
    return [await choose_coop_reply(services, turn.person, "join_choose_coop")]


async def coop_chosen(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    code = turn.payload.str_arg(0)
    if len(turn.payload.args) != 1 or not turn.person.represents(code):
        raise ForgedPayload(turn.payload)
    event = turn.event
    await act_for_coop(services, event.platform, event.user_id, code)
    person = replace(turn.person, acting_coop_code=code)
    reply = await menu_reply(services, person, "join_coop_chosen")
    return [replace(reply, replace=True)]


async def coop_needed(
    services: Services, turn: Turn, *, unrecorded: bool = False, wanted: Wanted = "order"
) -> list[Reply]:
    """What to answer someone who wants to do a treasurer's work (`wanted`: order, confirm a
    receipt, pay, see the bill) but acts for no coop yet (`unrecorded`: an order they sent,
    which is not recorded until they choose and send it again). Dinas staff who order for
    no coop are shown `/pesankan`, which orders on a coop's behalf."""
    if turn.person.is_admin and not turn.person.coop_codes and wanted == "order":
        context = {"not_a_treasurer": True, "unrecorded": unrecorded}
        return [turn.reply("admin_order_usage", context)]
    if not turn.person.coop_codes:
        return [await not_a_treasurer_reply(services, turn, "join_first", wanted)]
    chooser = await choose_coop_reply(services, turn.person, "join_choose_coop")
    return [replace(chooser, context={**chooser.context, "unrecorded": unrecorded})]


async def not_a_treasurer_reply(
    services: Services, turn: Turn, template: str, wanted: Wanted = "order"
) -> Reply:
    """For someone who represents no coop: `template`, or, for a supplier's rep,
    `join_supplier_only`: only coops order, and their purchase order comes at close; or,
    when they typed another treasurer's command (`wanted`), what a supplier's rep does."""
    codes = list(turn.person.supplier_codes)
    if not codes:
        return turn.reply(template, {"wanted": wanted})
    suppliers = await _suppliers_of(services, codes)
    round_ = await rounds.current_round(services.db, services.now())
    context = {"suppliers": suppliers, "round": round_, "wanted": wanted}
    return turn.reply("join_supplier_only", context)


async def _supplier_joined(services: Services, turn: Turn, rep: Rep) -> Reply:
    """Joined for a supplier; a coop's treasurer reads that they now act for both."""
    supplier = (await _suppliers_of(services, [rep.coop_code]))[0]
    round_ = await rounds.current_round(services.db, services.now())
    coops = await _coops_of(services, turn.person.coop_codes)
    return turn.reply("join_supplier_done", {"supplier": supplier, "round": round_, "coops": coops})


async def _suppliers_of(services: Services, codes: list[str]) -> list[Supplier]:
    known = {supplier.code: supplier for supplier in await list_suppliers(services.db)}
    return [known.get(code, Supplier(code, code)) for code in codes]


async def choose_coop_reply(services: Services, person: Person, template: str) -> Reply:
    coops = await _coops_of(services, person.coop_codes)
    options = [
        Option(
            "buttons/join_coop",
            {"code": coop.code, "name": coop.name},
            encode(Verb.ACT_FOR_COOP, coop.code),
        )
        for coop in coops
    ]
    context = {"coops": coops, "acting": None, "round": None, "several": len(coops) > 1}
    return Reply(template, context, person.language, rows(options, 1))


async def menu_reply(services: Services, person: Person, template: str) -> Reply:
    """The main menu: what the person acts for, and buttons into the open round."""
    coops = await _coops_of(services, person.coop_codes)
    acting = next((coop for coop in coops if coop.code == person.acting_coop_code), None)
    round_ = await rounds.current_round(services.db, services.now())
    options: tuple[tuple[Option, ...], ...] = ()
    if round_ is not None:
        options = (
            (
                Option("buttons/catalog_open", payload=encode(Verb.CATALOG_PAGE, round_.id, 0)),
                Option("buttons/my_order_open", payload=encode(Verb.MY_ORDER, round_.id)),
            ),
        )
    context = {"coops": coops, "acting": acting, "round": round_, "several": len(coops) > 1}
    return Reply(template, context, person.language, options)


async def _coops_of(services: Services, codes: tuple[str, ...]) -> list[Coop]:
    known = {coop.code: coop for coop in await list_coops(services.db)}
    return [known.get(code, Coop(code, code)) for code in codes]


COMMANDS: dict[str, Handler] = {
    "start": start,
    "mulai": start,
    "koperasi": switch_coop,
    "coop": switch_coop,
}
CALLBACKS: dict[Verb, Handler] = {Verb.ACT_FOR_COOP: coop_chosen}
