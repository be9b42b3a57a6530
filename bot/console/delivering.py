"""Sending queued posts (the outbox) to the console chats after every turn.

The same `bot.delivery.sender.Delivery` that serves Telegram drains the outbox; the console
transport is its only transport here, so rows for other platforms (none in a fresh demo
database) are marked failed. A console has no rate limit worth pacing for: the bucket
is sized so one drain never waits.
"""

from __future__ import annotations

from bot.console.personas import PLATFORM
from bot.console.session import Drain
from bot.console.transport import ConsoleTransport
from bot.delivery.sender import Delivery, RoundFile
from handlers.contract.services import Services

CONSOLE_PER_SECOND = 1000.0


def console_drain(
    services: Services, transport: ConsoleTransport, round_files: RoundFile | None = None
) -> Drain:
    delivery = Delivery(
        services.db,
        {PLATFORM: transport},
        per_second=CONSOLE_PER_SECOND,
        clock=services.now,
        round_files=round_files,
    )

    async def drain() -> None:
        await delivery.drain_once(services.now())

    return drain
