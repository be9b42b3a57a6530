"""A treasurer taps +5 several times quickly: every tap counts, none is lost."""

from __future__ import annotations

import asyncio

from purchasing.model import Round
from storage.commitment_reads import audit_log
from tests.support.fixtures.chat import ChatUser, quantities


async def test_treasurer_taps_plus_five_four_times_at_once_and_gets_twenty(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    code = chat_round.items[0].product_code
    payload = f"q:{chat_round.id}:{code}:+5"

    await asyncio.gather(*(chat_treasurer.press(payload) for _ in range(4)))

    assert (await quantities(chat_treasurer.services.db, chat_round.id))[("DT", code)] == 20
    log = await audit_log(chat_treasurer.services.db, chat_round.id)
    assert [(entry.old_quantity, entry.new_quantity) for entry in log] == [
        (0, 5),
        (5, 10),
        (10, 15),
        (15, 20),
    ]
