"""`/cari KATA`: the open round's products whose code or name holds every word typed.

Matching is deliberately plain: the text is split into words, and a product matches when
each word (case ignored) occurs in its code or its name, so `/cari beras 50` finds
"Beras SPHP medium 50 kg" and `/cari idm` finds "IDM-GRG". A product whose code is the
whole text comes first; the rest follow in catalog order. At most one catalog page of
products is shown, as buttons with their names; for more, the answer asks for more words.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.contract.flow import Turn
from handlers.contract.services import Services
from handlers.treasurer.catalog_pages import (
    PRODUCTS_PER_ROW,
    catalog_order,
    page_size,
    product_option,
    reader,
    shown_progress,
)
from messages.replies import Reply, rows
from purchasing.model import Round, RoundItem
from purchasing.rounds import accepts_changes


def words_of(text: str) -> list[str]:
    """The words to look for: `text` split at spaces, in lower case."""
    return text.strip().casefold().split()


def matching_items(round_: Round, words: Sequence[str]) -> list[RoundItem]:
    """The round's items whose code or name holds every word; an exact code first."""
    found = [
        item
        for item in catalog_order(round_)
        if all(word in f"{item.product_code} {item.name}".casefold() for word in words)
    ]
    whole = " ".join(words)
    return sorted(found, key=lambda item: item.product_code.casefold() != whole)


async def search_reply(services: Services, turn: Turn, round_: Round) -> Reply:
    """The products of the open round that match `turn.args`, or what to type instead."""
    query = " ".join(turn.args.split())
    words = words_of(query)
    found = matching_items(round_, words) if words else []
    if not found:
        return turn.reply("catalog_search_none", {"round": round_, "query": query})
    shown = await shown_progress(services, round_, found[: page_size(services)])
    context = {
        "round": round_,
        "query": query,
        "products": shown,
        "more": len(found) - len(shown),
        "accepts_changes": accepts_changes(round_, services.now()),
        "reader": reader(turn.person),
    }
    buttons = [product_option(round_, progress) for progress in shown]
    return Reply("catalog_search", context, turn.language, rows(buttons, PRODUCTS_PER_ROW))
