"""A sender process for tests/bot/delivery/test_kill.py and bench/broadcast.py.

    python -m tests.support.delivery_child --db FILE --base-url URL --token TOKEN [--per-second N]

Opens the database, builds the Telegram transport against `--base-url` (the fake Bot API)
and drains the outbox with the configured limits until nothing is pending; exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Secret, SendingConfig, TelegramConfig
from bot.delivery.sender import configured_delivery
from bot.telegram.delivery import TelegramTransport, delivery_bot
from messages.render import Renderer
from storage.database import open_database
from storage.delivery import outbox

NOTHING_DUE_PAUSE = 0.05


async def drain_until_empty(
    db_path: Path, telegram: TelegramConfig, sending: SendingConfig
) -> None:
    async with open_database(db_path) as db, delivery_bot(telegram) as bot:
        delivery = configured_delivery(
            db, {"telegram": TelegramTransport(bot, Renderer())}, sending
        )
        while await outbox.next_due_at(db) is not None:
            result = await delivery.drain_once()
            if result.handled == 0:
                await asyncio.sleep(NOTHING_DUE_PAUSE)  # a retry is not due yet


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="delivery_child")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:PORT/bot")
    parser.add_argument("--token", required=True)
    parser.add_argument("--per-second", type=int, default=SendingConfig.telegram_per_second)
    args = parser.parse_args(argv)
    telegram = TelegramConfig(
        token=Secret(args.token),
        base_url=args.base_url,
        base_file_url=args.base_url.replace("/bot", "/file/bot"),
    )
    asyncio.run(
        drain_until_empty(args.db, telegram, SendingConfig(telegram_per_second=args.per_second))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
