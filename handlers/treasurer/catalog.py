"""The open round's catalog: its pages, one supplier's products, a search, and one product.

`/katalog` shows the first page: products grouped by supplier, or for a large catalog its
suppliers first (the layout is `handlers.treasurer.catalog_pages`). "k:<round>:<page>" turns
pages, "ks:<round>:<supplier>:<page>" opens a supplier's products, `/cari KATA` lists the
products whose code or name has every word typed (`handlers.treasurer.search`), and
"p:<round>:<code>" opens a product with its price so far, what the next tier needs, MOQ
progress and the coop's own quantity, plus the buttons that change it (handled in
`handlers.treasurer.quantity_buttons`). Every button is checked again here: the round must
exist and be open (`require_browsable_round`: past its deadline it is still shown, without
the buttons that change an order; cancelled or closed, `RoundOver` says so and what to do),
the supplier must be in it. Buttons that change an order need a round that still takes
orders (`require_open_round`).
"""

from __future__ import annotations

from dataclasses import replace

from handlers import groups
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import search
from handlers.treasurer.catalog_pages import (
    back_from_product,
    by_supplier,
    catalog_page,
    page_size,
    supplier_page,
)
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import ExplainedError, ProductNotInRound
from purchasing.model import CommitmentChange, Round, RoundItem, RoundStatus
from purchasing.progress import product_progress
from purchasing.rounds import accepts_changes, check_takes_orders
from storage import rounds
from storage.catalog.reads import supplier_names
from storage.commitment_reads import product_standing


class RoundOver(ExplainedError):
    """A button that shows a round (a catalog page, a product, the coop's order) names one
    that is not open: cancelled or closed. Nothing was being changed, so the answer is not
    `errors/round_not_open`'s "this change was not recorded".

    Params: round_name, status (RoundStatus value), closes_at (when orders stopped),
    open_round (the name of the round open now, or None).
    """

    key = "round_over"


async def require_open_round(services: Services, round_id: int) -> Round:
    """The round a button names, if it still takes orders (a missing one was forged)."""
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        raise ForgedPayload(f"round {round_id}")
    check_takes_orders(round_, services.now())
    return round_


async def require_browsable_round(services: Services, round_id: int) -> Round:
    """The round a button that only shows it names, while it is open (past its deadline
    too: it is shown as taking no more changes), else `RoundOver`."""
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        raise ForgedPayload(f"round {round_id}")
    await check_browsable(services, round_)
    return round_


async def check_browsable(services: Services, round_: Round) -> None:
    """`RoundOver` unless the round is open."""
    if round_.status is RoundStatus.OPEN:
        return
    open_now = await rounds.current_round(services.db, services.now())
    raise RoundOver(
        round_name=round_.name,
        status=round_.status.value,
        closes_at=round_.orders_ended_at,
        open_round=None if open_now is None else open_now.name,
    )


async def show_catalog(services: Services, turn: Turn) -> list[Reply]:
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    return [await catalog_page(services, turn, round_, 0)]


async def turn_page(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    if len(turn.payload.args) != 2:
        raise ForgedPayload(turn.payload)
    round_ = await require_browsable_round(services, turn.payload.int_arg(0))
    reply = await catalog_page(services, turn, round_, turn.payload.int_arg(1))
    return [replace(reply, replace=True)]


async def open_supplier(services: Services, turn: Turn) -> list[Reply]:
    """A supplier's page of a catalog that opens with its suppliers."""
    assert turn.payload is not None
    if len(turn.payload.args) != 3:
        raise ForgedPayload(turn.payload)
    round_ = await require_browsable_round(services, turn.payload.int_arg(0))
    if not by_supplier(round_, page_size(services)):
        raise ForgedPayload(turn.payload)
    supplier, page = turn.payload.str_arg(1), turn.payload.int_arg(2)
    reply = await supplier_page(services, turn, round_, supplier, page)
    return [replace(reply, replace=True)]


async def search_catalog(services: Services, turn: Turn) -> list[Reply]:
    """`/cari KATA ...`: the open round's products that match every word (private chats)."""
    if not turn.event.is_private:
        return await groups.redirect_to_private(services, turn)
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    return [await search.search_reply(services, turn, round_)]


async def show_product(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    if len(turn.payload.args) != 2:
        raise ForgedPayload(turn.payload)
    round_ = await require_browsable_round(services, turn.payload.int_arg(0))
    reply = await product_reply(services, turn, round_, turn.payload.str_arg(1))
    return [replace(reply, replace=True)]


async def no_round_reply(services: Services, turn: Turn, *, unrecorded: bool = False) -> Reply:
    """No round takes orders: say when the next one opens, if one is being prepared (and,
    `unrecorded`, that the order just sent was not recorded)."""
    drafts = await rounds.list_rounds(services.db, RoundStatus.DRAFT)
    upcoming = min(drafts, key=lambda draft: (draft.opens_at, draft.id), default=None)
    opens_later = upcoming is not None and upcoming.opens_at > services.now()
    context = {"next_round": upcoming, "opens_later": opens_later, "unrecorded": unrecorded}
    return turn.reply("catalog_no_round", context)


async def product_reply(
    services: Services,
    turn: Turn,
    round_: Round,
    product_code: str,
    change: CommitmentChange | None = None,
    coop: str | None = None,
) -> Reply:
    """One product of the round, with a coop's quantity (the one a pressed button named, else
    the acting coop) and the buttons to change it, which name that coop."""
    item = round_.item(product_code)
    if item is None:
        raise ProductNotInRound(
            product_code=product_code, round_name=round_.name, round_id=round_.id
        )
    coop = coop or turn.person.acting_coop_code
    total, mine = await product_standing(services.db, round_.id, product_code, coop)
    context = {
        "round": round_,
        "item": item,
        "progress": product_progress(item, total),
        "supplier_name": (await supplier_names(services.db)).get(item.supplier_code, ""),
        "coop_code": coop,
        "coop_name": None if coop is None else turn.person.coop_name(coop),
        "my_quantity": None if coop is None else mine,
        "change": change,
    }
    ordering = coop if accepts_changes(round_, services.now()) else None
    options = _product_buttons(round_, item, back_from_product(round_, item, services), ordering)
    return Reply("catalog_product", context, turn.language, options)


def _product_buttons(
    round_: Round, item: RoundItem, back_option: Option, coop: str | None
) -> tuple[tuple[Option, ...], ...]:
    """Back to the catalog page, and when `coop` may order: +1/+5/+10, type, remove (for
    that coop, even if the person later acts for another one)."""
    code = item.product_code
    back = ((back_option,),)
    if coop is None:
        return back
    steps = tuple(
        Option(
            "buttons/order_step",
            {"step": step},
            encode(Verb.QUANTITY_STEP, round_.id, code, f"+{step}", coop),
        )
        for step in (1, 5, 10)
    )
    typing = (
        Option("buttons/order_type", payload=encode(Verb.TYPE_QUANTITY, round_.id, code, coop)),
        Option(
            "buttons/order_remove", payload=encode(Verb.QUANTITY_STEP, round_.id, code, "=0", coop)
        ),
    )
    return (steps, typing, *back)


async def coop_quantity(services: Services, round_id: int, coop: str, product_code: str) -> int:
    """How many units of the product the coop has ordered in the round (0 if none)."""
    return (await product_standing(services.db, round_id, product_code, coop))[1]


COMMANDS: dict[str, Handler] = {
    "katalog": show_catalog,
    "catalog": show_catalog,
    "cari": search_catalog,
    "search": search_catalog,
}
CALLBACKS: dict[Verb, Handler] = {
    Verb.CATALOG_PAGE: turn_page,
    Verb.SUPPLIER_PAGE: open_supplier,
    Verb.PRODUCT: show_product,
}
