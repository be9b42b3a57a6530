"""`run`: open the database, register the config's admins and serve Telegram until stopped."""

from __future__ import annotations

import argparse
import logging

from bot.cli.context import CliContext, Subparsers
from bot.telegram.application import TelegramTokenMissing
from bot.telegram.running import run_telegram
from handlers.services import Services
from storage import reps
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
        for admin in config.admins:
            await reps.add_admin(
                db, admin.platform, admin.user_id, display_name="", added_by="config",
                now=context.now(),
            )  # fmt: skip
        services = Services(db=db, now=context.now, default_language=config.default_language)

        def announce(bot_username: str) -> None:
            context.say("run_started", bot=bot_username, mode=str(config.telegram.mode))

        await run_telegram(config, services, context.renderer, on_ready=announce)
