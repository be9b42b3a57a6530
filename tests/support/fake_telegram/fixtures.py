"""The `fake_telegram` pytest fixture: a started FakeTelegram, closed after the test."""

from collections.abc import AsyncIterator

import pytest

from tests.support.fake_telegram.server import FakeTelegram


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
