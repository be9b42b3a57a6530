"""How the open round's catalog is laid out in pages that fit a phone screen.

A catalog of up to `FLAT_PAGES` pages (`Services.catalog_page_size` products each) is paged
through directly, grouped by supplier: "k:<round>:<page>". A larger one from more than one
supplier (`by_supplier`) opens with its suppliers instead, each button naming how many
products it offers: then "k:<round>:<page>" pages through the suppliers, and
"ks:<round>:<supplier>:<page>" through one supplier's products, with a button back to the
suppliers. A supplier's page shows one product less, so that its products, "previous",
"next" and "back" still fit WhatsApp's 10 list rows.

A coop's treasurer is invited to order from a page; anyone else reads it (`reader`).

Only values and replies are built here; the handlers in `handlers.treasurer.catalog` check
every payload before asking for a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from typing import Literal

from handlers.contract.flow import Turn
from handlers.contract.identity import Person
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply, rows
from purchasing.model import Round, RoundItem
from purchasing.progress import ProductProgress, product_progress
from purchasing.rounds import accepts_changes
from storage.catalog.reads import supplier_names
from storage.commitment_reads import totals_for_round

FLAT_PAGES = 4
PRODUCTS_PER_ROW = 2
PRICE_DETAIL = "buttons/catalog_product_price"
SUPPLIERS_PER_ROW = 1

Rows = tuple[tuple[Option, ...], ...]
PayloadFor = Callable[[int], str]  # a page number → the payload that shows it
Reader = Literal["treasurer", "staff", "supplier", "guest"]


def reader(person: Person) -> Reader:
    """Who reads the catalog: a coop's treasurer is invited to order from it; Dinas staff
    (who order for a coop with `/pesankan`), a supplier's rep and anyone else read it only."""
    if person.coop_codes:
        return "treasurer"
    if person.is_admin:
        return "staff"
    return "supplier" if person.supplier_codes else "guest"


def page_size(services: Services) -> int:
    return max(1, services.catalog_page_size)


def supplier_page_size(services: Services) -> int:
    """Products on one supplier's page: a page less one, for the button back."""
    return max(1, page_size(services) - 1)


def page_count(count: int, size: int) -> int:
    return max(1, -(-count // size))


def catalog_order(round_: Round) -> list[RoundItem]:
    """The round's items grouped by supplier (in the round's order within a supplier)."""
    return sorted(round_.items, key=lambda item: item.supplier_code)


def by_supplier(round_: Round, size: int) -> bool:
    """Whether the catalog opens with its suppliers: more than `FLAT_PAGES` pages of
    products, from more than one supplier."""
    several = len({item.supplier_code for item in round_.items}) > 1
    return several and len(round_.items) > FLAT_PAGES * size


def supplier_items(round_: Round, supplier_code: str) -> list[RoundItem]:
    return [item for item in round_.items if item.supplier_code == supplier_code]


def supplier_order(round_: Round, names: Mapping[str, str]) -> list[tuple[str, int]]:
    """(supplier code, how many products) of the round, by supplier name."""
    counts: dict[str, int] = {}
    for item in round_.items:
        counts[item.supplier_code] = counts.get(item.supplier_code, 0) + 1
    codes = sorted(counts, key=lambda code: (names.get(code, code).casefold(), code))
    return [(code, counts[code]) for code in codes]


def product_option(round_: Round, progress: ProductProgress) -> Option:
    """The button that opens one product: its code and short name, and (where the platform
    shows a line under a button) the price its unit costs at the round's totals so far."""
    item = progress.item
    context = {
        "code": item.product_code,
        "name": item.name,
        "price": progress.unit_price,
        "unit": item.unit,
    }
    payload = encode(Verb.PRODUCT, round_.id, item.product_code)
    return Option("buttons/catalog_product", context, payload, detail=PRICE_DETAIL)


def back_from_product(round_: Round, item: RoundItem, services: Services) -> Option:
    """The button from a product back to the page that lists it."""
    if by_supplier(round_, page_size(services)):
        index = supplier_items(round_, item.supplier_code).index(item)
        page = index // supplier_page_size(services)
        payload = encode(Verb.SUPPLIER_PAGE, round_.id, item.supplier_code, page)
    else:
        page = catalog_order(round_).index(item) // page_size(services)
        payload = encode(Verb.CATALOG_PAGE, round_.id, page)
    return Option("buttons/catalog_back", payload=payload)


async def catalog_page(services: Services, turn: Turn, round_: Round, page: int) -> Reply:
    """Page `page` (0-based) of the catalog as it opens: products, or suppliers."""
    size = page_size(services)
    if by_supplier(round_, size):
        return await suppliers_page(services, turn, round_, page)
    items = catalog_order(round_)
    pages = page_count(len(items), size)
    if not 0 <= page < pages:
        raise ForgedPayload(f"page {page}")
    shown = await shown_progress(services, round_, items[page * size : (page + 1) * size])
    buttons = [product_option(round_, progress) for progress in shown]
    options = rows(buttons, PRODUCTS_PER_ROW) + _page_row(
        page, pages, lambda to: encode(Verb.CATALOG_PAGE, round_.id, to)
    )
    return await _products_reply(services, turn, round_, shown, page, pages, options)


async def suppliers_page(services: Services, turn: Turn, round_: Round, page: int) -> Reply:
    """Page `page` of the round's suppliers, each a button with its number of products."""
    size = page_size(services)
    names = await supplier_names(services.db)
    suppliers = supplier_order(round_, names)
    pages = page_count(len(suppliers), size)
    if not 0 <= page < pages:
        raise ForgedPayload(f"page {page}")
    shown = [
        {"code": code, "name": names.get(code, code), "count": count}
        for code, count in suppliers[page * size : (page + 1) * size]
    ]
    buttons = [
        Option("buttons/catalog_supplier", {"name": supplier["name"], "count": supplier["count"]},
               encode(Verb.SUPPLIER_PAGE, round_.id, supplier["code"], 0))
        for supplier in shown
    ]  # fmt: skip
    context = {
        "round": round_,
        "suppliers": shown,
        "products": len(round_.items),
        "supplier_count": len(suppliers),
        "page": page + 1,
        "pages": pages,
        "accepts_changes": accepts_changes(round_, services.now()),
        "reader": reader(turn.person),
    }
    options = rows(buttons, SUPPLIERS_PER_ROW) + _page_row(
        page, pages, lambda to: encode(Verb.CATALOG_PAGE, round_.id, to)
    )
    return Reply("catalog_suppliers", context, turn.language, options)


async def supplier_page(
    services: Services, turn: Turn, round_: Round, supplier_code: str, page: int
) -> Reply:
    """Page `page` of one supplier's products, with a button back to the suppliers."""
    items = supplier_items(round_, supplier_code)
    if not items:
        raise ForgedPayload(f"supplier {supplier_code}")
    size = supplier_page_size(services)
    pages = page_count(len(items), size)
    if not 0 <= page < pages:
        raise ForgedPayload(f"page {page}")
    shown = await shown_progress(services, round_, items[page * size : (page + 1) * size])
    suppliers = [code for code, _ in supplier_order(round_, await supplier_names(services.db))]
    back_to = suppliers.index(supplier_code) // page_size(services)
    buttons = [product_option(round_, progress) for progress in shown]
    back = Option(
        "buttons/catalog_suppliers", payload=encode(Verb.CATALOG_PAGE, round_.id, back_to)
    )
    options = (
        rows(buttons, PRODUCTS_PER_ROW)
        + _page_row(
            page, pages, lambda to: encode(Verb.SUPPLIER_PAGE, round_.id, supplier_code, to)
        )
        + ((back,),)
    )
    return await _products_reply(services, turn, round_, shown, page, pages, options)


async def shown_progress(
    services: Services, round_: Round, items: Sequence[RoundItem]
) -> list[ProductProgress]:
    """`items` with the round's totals so far and the price each reaches."""
    totals = await totals_for_round(services.db, round_.id)
    return [product_progress(item, totals.get(item.product_code, 0)) for item in items]


async def _products_reply(
    services: Services,
    turn: Turn,
    round_: Round,
    shown: Sequence[ProductProgress],
    page: int,
    pages: int,
    options: Rows,
) -> Reply:
    names = await supplier_names(services.db)
    groups = [
        {"supplier_name": names.get(code, code), "products": list(group)}
        for code, group in groupby(shown, key=lambda progress: progress.item.supplier_code)
    ]
    context = {
        "round": round_,
        "groups": groups,
        "page": page + 1,
        "pages": pages,
        "accepts_changes": accepts_changes(round_, services.now()),
        "reader": reader(turn.person),
    }
    return Reply("catalog_page", context, turn.language, options)


def _page_row(page: int, pages: int, payload_for: PayloadFor) -> Rows:
    row = []
    if page > 0:
        row.append(Option("buttons/catalog_prev", payload=payload_for(page - 1)))
    if page + 1 < pages:
        row.append(Option("buttons/catalog_next", payload=payload_for(page + 1)))
    return (tuple(row),) if row else ()
