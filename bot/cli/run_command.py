"""`run`: open the database, register the config's admins, start the round scheduler and the
outbox sender, and serve Telegram until stopped."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.config import Config
from bot.delivery import Delivery, configured_delivery
from bot.exports import load_round_export
from bot.runtime import scheduled_rounds
from bot.telegram.application import TelegramTokenMissing
from bot.telegram.delivery import TelegramTransport, delivery_bot
from bot.telegram.running import run_telegram
from bot.wiring import register_config_admins, wire
from messages.render import Renderer
from storage.database import Database, open_database

EXPORTS_DIR = "exports"


def register(subparsers: Subparsers) -> None:
    run = subparsers.add_parser("run", help="run the chat bot (Telegram) until stopped")
    run.set_defaults(handler=run_bot)


async def run_bot(context: CliContext, args: argparse.Namespace) -> None:
    config = context.config
    if not config.telegram.token:
        raise TelegramTokenMissing()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    context.database_path.parent.mkdir(parents=True, exist_ok=True)
    exports = context.database_path.parent / EXPORTS_DIR
    async with open_database(context.database_path) as db:
        await register_config_admins(db, config, context.now())
        async with sending(db, config, context.renderer, exports) as (delivery, username):
            deep_links = {"telegram": f"https://t.me/{username}?start={{code}}"}
            wiring = wire(config, db, context.now, renderer=context.renderer, deep_links=deep_links)

            def announce(bot_username: str) -> None:
                context.say("run_started", bot=bot_username, mode=str(config.telegram.mode))

            async with scheduled_rounds(
                wiring.services, config, context.now, notify=delivery.notify
            ) as running:
                await run_telegram(config, running.services, context.renderer, on_ready=announce)


@asynccontextmanager
async def sending(
    db: Database, config: Config, renderer: Renderer, exports: Path
) -> AsyncIterator[tuple[Delivery, str]]:
    """The outbox sender on its own Bot, running until the block ends; and the bot's username."""

    async def round_workbook(round_id: int) -> Path:
        return (await load_round_export(db, round_id)).workbook(exports)

    bot = delivery_bot(config.telegram)
    async with bot:
        delivery = configured_delivery(
            db,
            {"telegram": TelegramTransport(bot, renderer)},
            config.sending,
            default_language=config.default_language,
            round_workbook=round_workbook,
        )
        stop = asyncio.Event()
        sender = asyncio.create_task(delivery.run(stop))
        try:
            yield delivery, bot.username
        finally:
            stop.set()
            await sender
