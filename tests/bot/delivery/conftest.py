"""The delivery tests' shared world: virtual time, the fake Bot API enforcing Telegram's
limits on that time, and our Telegram transport to it (the database is `tests/conftest.db`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.telegram.delivery import TelegramTransport
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import VirtualTime, telegram_transport


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def fake(time: VirtualTime) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(clock=time.monotonic) as server:
        server.rate_limits.enable()  # Telegram's: 30/s overall, 1/s per chat, 20/min a group
        yield server


@pytest.fixture
async def transport(fake: FakeTelegram) -> AsyncIterator[TelegramTransport]:
    async with telegram_transport(fake) as telegram:
        yield telegram
