"""The open round's catalog: pages grouped by supplier, and one product's detail.

`/katalog` shows page 1; "k:<round>:<page>" turns pages and "p:<round>:<code>" opens a
product with its price so far, what the next tier needs, MOQ progress and the coop's own
quantity, plus the buttons that change it (handled in `handlers.treasurer.quantity_buttons`). Every
button is checked again here: the round must exist and still take orders (`require_open_round`).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply, rows
from purchasing.errors import ProductNotInRound
from purchasing.model import CommitmentChange, Round, RoundItem, RoundStatus
from purchasing.progress import product_progress
from purchasing.rounds import accepts_changes, check_takes_orders
from storage import rounds
from storage.catalog.reads import supplier_names
from storage.commitment_reads import product_standing, totals_for_round

PRODUCTS_PER_ROW = 2


async def require_open_round(services: Services, round_id: int) -> Round:
    """The round a button names, if it still takes orders (a missing one was forged)."""
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        raise ForgedPayload(f"round {round_id}")
    check_takes_orders(round_, services.now())
    return round_


async def show_catalog(services: Services, turn: Turn) -> list[Reply]:
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    return [await catalog_page(services, turn, round_, 0)]


async def turn_page(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    if len(turn.payload.args) != 2:
        raise ForgedPayload(turn.payload)
    round_ = await require_open_round(services, turn.payload.int_arg(0))
    reply = await catalog_page(services, turn, round_, turn.payload.int_arg(1))
    return [replace(reply, replace=True)]


async def show_product(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    if len(turn.payload.args) != 2:
        raise ForgedPayload(turn.payload)
    round_ = await require_open_round(services, turn.payload.int_arg(0))
    reply = await product_reply(services, turn, round_, turn.payload.str_arg(1))
    return [replace(reply, replace=True)]


async def no_round_reply(services: Services, turn: Turn) -> Reply:
    """No round takes orders: say when the next one opens, if one is being prepared."""
    drafts = await rounds.list_rounds(services.db, RoundStatus.DRAFT)
    upcoming = min(drafts, key=lambda draft: (draft.opens_at, draft.id), default=None)
    opens_later = upcoming is not None and upcoming.opens_at > services.now()
    return turn.reply("catalog_no_round", {"next_round": upcoming, "opens_later": opens_later})


def catalog_order(round_: Round) -> list[RoundItem]:
    """The round's items grouped by supplier (in the round's order within a supplier)."""
    return sorted(round_.items, key=lambda item: item.supplier_code)


async def catalog_page(services: Services, turn: Turn, round_: Round, page: int) -> Reply:
    size = max(1, services.catalog_page_size)
    items = catalog_order(round_)
    pages = max(1, -(-len(items) // size))
    if not 0 <= page < pages:
        raise ForgedPayload(f"page {page}")
    shown = items[page * size : (page + 1) * size]
    totals = await totals_for_round(services.db, round_.id)
    names = await supplier_names(services.db)
    groups = [
        {
            "supplier_name": names.get(code, code),
            "products": [product_progress(i, totals.get(i.product_code, 0)) for i in group],
        }
        for code, group in groupby(shown, key=lambda item: item.supplier_code)
    ]
    context = {
        "round": round_,
        "groups": groups,
        "page": page + 1,
        "pages": pages,
        "accepts_changes": accepts_changes(round_, services.now()),
    }
    buttons = [
        Option("buttons/catalog_product", {"code": item.product_code, "name": item.name},
               encode(Verb.PRODUCT, round_.id, item.product_code))
        for item in shown
    ]  # fmt: skip
    options = rows(buttons, PRODUCTS_PER_ROW) + _page_row(round_.id, page, pages)
    return Reply("catalog_page", context, turn.language, options)


def _page_row(round_id: int, page: int, pages: int) -> tuple[tuple[Option, ...], ...]:
    row = []
    if page > 0:
        row.append(
            Option("buttons/catalog_prev", payload=encode(Verb.CATALOG_PAGE, round_id, page - 1))
        )
    if page + 1 < pages:
        row.append(
            Option("buttons/catalog_next", payload=encode(Verb.CATALOG_PAGE, round_id, page + 1))
        )
    return (tuple(row),) if row else ()


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
        raise ProductNotInRound(product_code=product_code, round_name=round_.name)
    coop = coop or turn.person.acting_coop_code
    total, mine = await product_standing(services.db, round_.id, product_code, coop)
    context = {
        "round": round_,
        "item": item,
        "progress": product_progress(item, total),
        "supplier_name": (await supplier_names(services.db)).get(item.supplier_code, ""),
        "coop_code": coop,
        "my_quantity": None if coop is None else mine,
        "change": change,
    }
    ordering = coop if accepts_changes(round_, services.now()) else None
    options = _product_buttons(round_, item, services.catalog_page_size, ordering)
    return Reply("catalog_product", context, turn.language, options)


def _product_buttons(
    round_: Round, item: RoundItem, page_size: int, coop: str | None
) -> tuple[tuple[Option, ...], ...]:
    """Back to the catalog page, and when `coop` may order: +1/+5/+10, type, remove (for
    that coop, even if the person later acts for another one)."""
    code = item.product_code
    page = catalog_order(round_).index(item) // max(1, page_size)
    back = ((Option("buttons/catalog_back", payload=encode(Verb.CATALOG_PAGE, round_.id, page)),),)
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


COMMANDS: dict[str, Handler] = {"katalog": show_catalog, "catalog": show_catalog}
CALLBACKS: dict[Verb, Handler] = {Verb.CATALOG_PAGE: turn_page, Verb.PRODUCT: show_product}
