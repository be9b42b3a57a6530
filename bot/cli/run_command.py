"""`run`: open the database, register the config's admins, start the round scheduler and
serve Telegram until stopped."""

from __future__ import annotations

import argparse
import logging

from bot.cli.context import CliContext, Subparsers
from bot.runtime import scheduled_rounds
from bot.telegram.application import TelegramTokenMissing
from bot.telegram.running import run_telegram
from bot.wiring import register_config_admins, wire
from storage.database import open_database


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
    async with open_database(context.database_path) as db:
        await register_config_admins(db, config, context.now())
        services = wire(config, db, context.now, renderer=context.renderer).services

        def announce(bot_username: str) -> None:
            context.say("run_started", bot=bot_username, mode=str(config.telegram.mode))

        async with scheduled_rounds(services, config, context.now) as running:
            await run_telegram(config, running.services, context.renderer, on_ready=announce)
