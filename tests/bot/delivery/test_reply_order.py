"""A newer reply never overtakes an older one that Telegram refused and the outbox holds.

Siti orders three times in a row. Telegram answers her second confirmation "retry after
1 second", so the bot queues it in the outbox. Her third confirmation could go a second
later, before the sender delivers the queued one: it must not, or her chat would show 11,
13, 12 and she would think her order is 12. It goes to the outbox behind the second, and the
sender delivers both in order: 11, 12, 13.

The real bot (PTB over HTTP, router, SQLite) against the fake Bot API enforcing a slower
per-chat limit than ours; the sender's pacer is the bot's, as in `belanja-bareng run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.replies import FIRST_USER_ID, quantities, seed
from bot.config import Config, Secret, TelegramConfig
from bot.delivery.pacing import Limits
from bot.delivery.sender import Delivery
from bot.telegram.delivery import TelegramTransport, delivery_bot
from bot.telegram.running import run_telegram
from handlers.contract.services import Services
from messages.render import Renderer
from storage.database import Database, open_database
from storage.delivery import outbox
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram

ORDERED = [11, 12, 13]
WAIT_STEPS, WAIT_STEP_SECONDS = 1000, 0.01  # up to 10 s


@asynccontextmanager
async def bot_with_idle_sender(fake: FakeTelegram, db: Database) -> AsyncIterator[Delivery]:
    """The bot replying through the sender's pacer; the sender itself not draining yet."""
    telegram = TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    config = Config(database=db.path, telegram=telegram)
    async with delivery_bot(telegram) as bot:
        transports = {"telegram": TelegramTransport(bot, Renderer())}
        limits = {"telegram": Limits(per_second=30.0, burst=5.0, per_chat_seconds=1.0)}
        delivery = Delivery(db, transports, limits=limits)
        stop, ready = asyncio.Event(), asyncio.Event()
        serving = asyncio.create_task(
            run_telegram(
                config,
                Services(db=db, now=lambda: NOW),
                Renderer(),
                stop=stop,
                on_ready=lambda _: ready.set(),
                pacer=delivery.pacer("telegram"),
            )
        )
        await ready.wait()
        try:
            yield delivery
        finally:
            stop.set()
            await serving


async def test_a_reply_after_one_telegram_refused_waits_behind_it_in_the_outbox(
    tmp_path: Path,
) -> None:
    async with open_database(tmp_path / "order.sqlite3") as db, FakeTelegram() as fake:
        await seed(db, 1, 1)
        siti = fake.user(FIRST_USER_ID, "Siti")
        # One message, then one every two seconds: her second confirmation is refused.
        fake.rate_limits.enable(per_chat_per_second=0.5, per_chat_burst=1)
        async with bot_with_idle_sender(fake, db) as delivery:
            for quantity in ORDERED:
                await fake.send_text(siti, f"/pesan BRS5 {quantity}")
            await _all_answered_or_queued(fake, db, siti.id, len(ORDERED))
            assert quantities(fake, siti) == [ORDERED[0]]  # the others wait in the outbox
            fake.rate_limits.disable()
            await delivery.drain_once(datetime.now(UTC))

        assert quantities(fake, siti) == ORDERED
        assert fake.too_many_requests == 1


async def _all_answered_or_queued(
    fake: FakeTelegram, db: Database, chat_id: int, count: int
) -> None:
    """Until each message got its answer in the chat or queued in the outbox (a bounded look,
    as the bot handles the updates in its own tasks)."""
    for _ in range(WAIT_STEPS):
        queued = await outbox.batch(db, "reply", NOW)
        if len(fake.messages_to(chat_id)) + len(queued) >= count:
            return
        await asyncio.sleep(WAIT_STEP_SECONDS)
    raise AssertionError("the bot did not answer every message")
