"""The whole Telegram bot, running against the fake Bot API with a real SQLite file.

`telegram_bot` starts `run_telegram` (the code `belanja-bareng run` uses) by long polling the
`fake_telegram` server and stops it after the test; the test plays users on the fake.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.config import Config, Secret, TelegramConfig, TelegramMode, WebhookConfig
from bot.telegram.running import run_telegram
from handlers.contract.services import Services
from messages.render import Renderer
from storage.database import Database, open_database
from tests.support.builders import NOW
from tests.support.clock import Clock
from tests.support.fake_telegram import FakeTelegram

__all__ = ["Clock", "bot_clock", "bot_db", "bot_services", "telegram_bot"]


def config_for(fake: FakeTelegram, database: Path, webhook: WebhookConfig | None = None) -> Config:
    telegram = TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    if webhook is not None:
        telegram = dataclasses.replace(telegram, mode=TelegramMode.WEBHOOK, webhook=webhook)
    return Config(database=database, telegram=telegram)


@asynccontextmanager
async def bot_running(config: Config, services: Services) -> AsyncIterator[str]:
    """Run the bot until the block ends; yields the bot's username once it serves updates."""
    stop, ready = asyncio.Event(), asyncio.Event()
    usernames: list[str] = []

    def on_ready(username: str) -> None:
        usernames.append(username)
        ready.set()

    task = asyncio.create_task(
        run_telegram(config, services, Renderer(), stop=stop, on_ready=on_ready)
    )
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiting}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task.done():
        task.result()  # raises what stopped it
    assert usernames, "the bot did not start within 10 s"
    try:
        yield usernames[0]
    finally:
        stop.set()
        await task


@pytest.fixture
def bot_clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def bot_db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(tmp_path / "belanja.sqlite3") as db:
        yield db


@pytest.fixture
def bot_services(bot_db: Database, bot_clock: Clock) -> Services:
    return Services(db=bot_db, now=bot_clock)


@pytest.fixture
async def telegram_bot(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> AsyncIterator[str]:
    """The bot, polling the fake; the value is its username."""
    config = config_for(fake_telegram, bot_services.db.path)
    async with bot_running(config, bot_services) as username:
        yield username
