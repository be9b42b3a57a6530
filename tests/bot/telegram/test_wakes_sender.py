"""What a Telegram update queues for other people goes out at once: after each handled update
the bot wakes the outbox sender instead of leaving the rows to its next idle look."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.config import Config
from bot.delivery.sender import Delivery
from bot.telegram.delivery import TelegramTransport, delivery_bot
from bot.telegram.running import run_telegram
from handlers.contract.services import Services
from messages.render import Renderer
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import ADMIN_IDS, FIRST_CHAT, seed_audience
from tests.support.fixtures.telegram import config_for

IDLE_FOR_AN_HOUR = 3600.0


@asynccontextmanager
async def idle_sender(config: Config, services: Services) -> AsyncIterator[Delivery]:
    """The outbox sender, running, having looked once and found nothing: it would look again
    only in an hour, unless woken."""
    asleep = asyncio.Event()

    async def sleep(seconds: float) -> None:
        asleep.set()
        await asyncio.sleep(seconds)

    stop = asyncio.Event()
    async with delivery_bot(config.telegram) as bot:
        transports = {"telegram": TelegramTransport(bot, Renderer())}
        delivery = Delivery(services.db, transports, idle_seconds=IDLE_FOR_AN_HOUR, sleep=sleep)
        sending = asyncio.create_task(delivery.run(stop))
        try:
            await asyncio.wait_for(asleep.wait(), timeout=5)
            yield delivery
        finally:
            stop.set()
            await asyncio.wait_for(sending, timeout=10)


@asynccontextmanager
async def telegram_waking(
    config: Config, services: Services, notify: Callable[[], None]
) -> AsyncIterator[None]:
    """`run_telegram` (as `belanja-bareng run` starts it) with `notify` wired in."""
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(
        run_telegram(
            config, services, Renderer(), stop=stop, on_ready=lambda _: ready.set(), notify=notify
        )
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
        yield
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=10)


async def test_a_broadcast_sent_from_telegram_leaves_at_once_not_at_the_senders_next_look(
    fake_telegram: FakeTelegram, bot_services: Services
) -> None:
    await seed_audience(bot_services.db, 2, with_groups=False)
    admin = fake_telegram.user(ADMIN_IDS[0], "Admin")
    config = config_for(fake_telegram, bot_services.db.path)

    async with (
        idle_sender(config, bot_services) as delivery,
        telegram_waking(config, bot_services, delivery.notify),
    ):
        await fake_telegram.send_text(admin, "/siaran Rapat hari Jumat")
        arrived = await fake_telegram.wait_for_message(FIRST_CHAT, timeout=5)
        progress = await fake_telegram.wait_for_call(
            "editMessageText", lambda call: call.ok and "selesai" in str(call.params["text"])
        )

    assert arrived.text == "📢 Pesan dari Dinas\nRapat hari Jumat"
    assert "Terkirim 2/2" in str(progress.params["text"])
    assert fake_telegram.errors == []
