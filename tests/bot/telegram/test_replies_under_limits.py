"""Siti writes faster than Telegram lets the bot answer one chat: the replies it refuses with
429 are not lost but queued in the outbox, and the sender delivers them at Telegram's pace,
in order, each once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.delivery.sender import Delivery
from handlers.contract.services import Services
from messages.outbox_codec import decode_reply
from messages.replies import Reply
from storage.delivery import outbox
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import telegram_transport

ASKED = 4
WAIT_STEPS, WAIT_STEP_SECONDS = 500, 0.01  # up to 5 s


async def test_replies_telegram_refuses_for_now_are_queued_and_sent_later(
    fake_telegram: FakeTelegram, telegram_bot: str, bot_services: Services
) -> None:
    siti = fake_telegram.user(4101, "Siti")
    fake_telegram.rate_limits.enable(per_chat_per_second=0.001, per_chat_burst=1)
    for _ in range(ASKED):
        await fake_telegram.send_text(siti, "/bantuan")
    await fake_telegram.wait_for_message(siti.id)
    later = datetime.now(UTC)
    queued = await _queued_replies(bot_services, ASKED - 1)
    fake_telegram.rate_limits.disable()

    async with telegram_transport(fake_telegram) as transport:
        delivery = Delivery(bot_services.db, {"telegram": transport}, clock=lambda: later)
        await delivery.drain_once(later)

    # Queued as the text Telegram would have shown (`bot.telegram.frozen`), in plain values.
    assert [reply.template for reply in queued] == ["telegram/rendered"] * (ASKED - 1)
    answers = [m for m in fake_telegram.messages_to(siti.id) if m.text]
    assert len(answers) == ASKED  # one at once, the others from the outbox: none lost
    assert fake_telegram.too_many_requests >= ASKED - 1
    assert await outbox.due_messages(bot_services.db, later) == []


async def _queued_replies(services: Services, count: int) -> list[Reply]:
    """The replies queued for the sender, once `count` of them are there (bounded wait on
    the database, as the bot queues them after Telegram's 429 answers)."""
    for _ in range(WAIT_STEPS):
        due = await outbox.due_messages(services.db, datetime.now(UTC))
        rows = [message for message in due if message.kind == "reply"]
        if len(rows) >= count:
            return [decode_reply(message.payload) for message in rows]
        await asyncio.sleep(WAIT_STEP_SECONDS)
    raise AssertionError(f"fewer than {count} replies were queued")
