"""`run`: open the database, register the config's admins, start the round scheduler and the
outbox sender, and serve Telegram and/or WhatsApp (whichever the config enables) until stopped,
with the web dashboard if enabled (in a thread of its own: `bot.dashboard.serving`).

What an operator may have got wrong is checked before anything starts (`bot.cli.startup`),
and Telegram and Meta are asked to take their tokens before the database is created or
migrated; everything started is stopped again, whatever fails, and what uses the database
stops before it closes."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.cli.context import CliContext, Subparsers
from bot.cli.startup import (
    check_database_writable,
    check_listening_ports,
    check_telegram_token,
    make_database_folder,
)
from bot.config import Config
from bot.delivery.sender import Delivery, Transport, configured_delivery
from bot.documents import RoundFile
from bot.logs import configure_logging
from bot.runtime import scheduled_rounds
from bot.telegram.application import TelegramTokenMissing
from bot.telegram.delivery import TelegramTransport, delivery_bot
from bot.telegram.running import run_telegram, stop_on_signals
from bot.wiring import register_config_admins, wire
from storage.database import Database, open_database

# The dashboard and WhatsApp are imported where they start: aiohttp (~23 MB) and pywa
# (~21 MB) load only into a bot that serves them.
if TYPE_CHECKING:
    from telegram import Bot

    from bot.whatsapp.running import GraphReached, WhatsAppConnection

# SQLite's page cache of the running bot's connection: it reads a chat's rows and the outbox's
# next batch, while a province's close runs in a child with the full 64 MB
# (`bot.close_child`). At 64 MB, sending a close's messages filled it with outbox pages.
RUNNING_PAGE_CACHE_KIB = 16384


def register(subparsers: Subparsers) -> None:
    run = subparsers.add_parser("run", help="run the chat bot (Telegram, WhatsApp) until stopped")
    run.set_defaults(handler=run_bot)


async def run_bot(context: CliContext, args: argparse.Namespace) -> None:
    config = context.config
    if not config.telegram.token and not config.whatsapp.enabled:
        raise TelegramTokenMissing()
    check_telegram_token(config.telegram.token)
    check_listening_ports(config)
    configure_logging(min(logging.getLogger().getEffectiveLevel(), logging.INFO), config)
    make_database_folder(context.database_path)
    check_database_writable(context.database_path)
    async with AsyncExitStack() as stack:
        # Telegram and Meta take the tokens before the database is made or migrated: a
        # refused start changes nothing. What uses the database stops before it closes.
        reached = await reach_platforms(stack, context)
        db = await stack.enter_async_context(
            open_database(context.database_path, page_cache_kib=RUNNING_PAGE_CACHE_KIB)
        )
        await register_config_admins(db, config, context.now())
        platforms = platforms_over(reached, context, db)
        wiring = wire(
            config, db, context.now, renderer=context.renderer, deep_links=platforms.deep_links
        )
        delivery = await stack.enter_async_context(  # its files from the chats' maker
            sending(db, config, platforms.transports, wiring.services.round_file)
        )

        def announce(bot_username: str) -> None:
            context.say("run_started", bot=bot_username, mode=str(config.telegram.mode))

        def announce_whatsapp(port: int) -> None:
            hook = config.whatsapp.webhook
            context.say("run_started_whatsapp", listen=hook.listen, port=port, path=hook.url_path)

        def announce_dashboard(url: str) -> None:
            context.say("run_started_dashboard", url=url, public_url=config.dashboard.public_url)

        services = wiring.services
        if config.dashboard.enabled:
            from bot.dashboard.serving import with_dashboard

            services = with_dashboard(services, config)
        async with scheduled_rounds(
            services, config, context.now, notify=delivery.notify
        ) as running:
            with stop_on_signals() as stop:
                async with asyncio.TaskGroup() as serving:
                    if config.telegram.token:
                        serving.create_task(
                            run_telegram(
                                config, running.services, context.renderer,
                                stop=stop, on_ready=announce, notify=delivery.notify,
                                pacer=delivery.pacer("telegram"),
                            )
                        )  # fmt: skip
                    if platforms.whatsapp is not None:
                        from bot.whatsapp.running import serve_whatsapp

                        serving.create_task(
                            serve_whatsapp(
                                config, running.services, platforms.whatsapp, stop,
                                notify=delivery.notify, on_ready=announce_whatsapp,
                            )
                        )  # fmt: skip
                    if config.dashboard.enabled:
                        from bot.dashboard.serving import serve_dashboard

                        serving.create_task(
                            serve_dashboard(
                                config, context.database_path, context.now, stop,
                                on_ready=announce_dashboard,
                            )
                        )  # fmt: skip


@dataclass
class Platforms:
    """The enabled chat platforms: the sender's transport and the invite link of each."""

    transports: dict[str, Transport] = field(default_factory=dict)
    deep_links: dict[str, str] = field(default_factory=dict)
    whatsapp: WhatsAppConnection | None = None


@dataclass(frozen=True, slots=True)
class Reached:
    """The enabled platforms' clients, their tokens taken: Telegram's bot, Meta's Graph API."""

    telegram: Bot | None = None
    whatsapp: GraphReached | None = None


async def reach_platforms(stack: AsyncExitStack, context: CliContext) -> Reached:
    """Ask each enabled platform whether it takes our token (Telegram's getMe, the WhatsApp
    business number); their clients stay open until `stack` closes."""
    config = context.config
    telegram = None
    if config.telegram.token:
        telegram = await stack.enter_async_context(delivery_bot(config.telegram))
    whatsapp = None
    if config.whatsapp.enabled:
        from bot.whatsapp.running import reach_whatsapp

        whatsapp = await stack.enter_async_context(
            reach_whatsapp(config, session=context.graph_session)
        )
    return Reached(telegram, whatsapp)


def platforms_over(reached: Reached, context: CliContext, db: Database) -> Platforms:
    """The sender's transport and the invite link of each reached platform."""
    platforms = Platforms()
    if reached.telegram is not None:
        bot = reached.telegram
        platforms.transports["telegram"] = TelegramTransport(bot, context.renderer)
        platforms.deep_links["telegram"] = f"https://t.me/{bot.username}?start={{code}}"
    if reached.whatsapp is not None:
        from bot.whatsapp.running import whatsapp_connection

        whatsapp = whatsapp_connection(
            reached.whatsapp, context.config, db, context.renderer, clock=context.now
        )
        platforms.transports["whatsapp"] = whatsapp.transport
        platforms.deep_links["whatsapp"] = whatsapp.deep_link
        platforms.whatsapp = whatsapp
    return platforms


async def connect_platforms(stack: AsyncExitStack, context: CliContext, db: Database) -> Platforms:
    """`reach_platforms` and `platforms_over` at once, for a database already open."""
    return platforms_over(await reach_platforms(stack, context), context, db)


@asynccontextmanager
async def sending(
    db: Database, config: Config, transports: Mapping[str, Transport], round_files: RoundFile | None
) -> AsyncIterator[Delivery]:
    """The outbox sender over `transports`, running until the block ends."""

    delivery = configured_delivery(
        db,
        transports,
        config.sending,
        default_language=config.default_language,
        round_files=round_files,
    )
    stop = asyncio.Event()
    sender = asyncio.create_task(delivery.run(stop))
    try:
        yield delivery
    finally:
        stop.set()
        await sender
