"""A treasurer's help shows how to order with a product of the round that is open now, never a
product from somewhere else; with no round open it shows a placeholder to fill in."""

from __future__ import annotations

from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, open_example_round


async def test_help_orders_a_product_of_the_open_round_by_its_name_and_code(
    chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    await open_example_round(chat_treasurer.services.db, chat_clock(), ["IDM-GRG"])

    await chat_treasurer.send("/bantuan")

    text = chat_treasurer.last_text
    assert "mis. /pesan indomie 12" in text
    assert "indomie 12 karton atau IDM-GRG 12" in text
    assert "/cari indomie" in text
    assert "beras" not in text.lower()


async def test_help_without_an_open_round_shows_a_placeholder(chat_treasurer: ChatUser) -> None:
    await chat_treasurer.send("/bantuan")

    text = chat_treasurer.last_text
    assert "mis. /pesan KODE 12" in text
    assert "beras" not in text.lower()
