"""How close a broadcast comes to Telegram's overall limit, against the limit-enforcing fake.

A broadcast to `--chats` private chats and `--groups` groups is queued in a fresh SQLite
outbox and drained by the real sender (`bot.delivery.sender`, limits from `config.sending`) through
the real Telegram transport (a PTB Bot over HTTP) to the fake Bot API on 127.0.0.1, whose
rate limits are on and whose clock is real. Every call first waits `--latency-ms`, as a
round trip to Telegram would, so the sender must overlap calls to keep up.

Printed: the rate achieved (from the first message to the last, as the fake saw them)
divided by the configured limit, the 429 answers, lost and repeated messages.
Goal: ratio ≥ 0.95, 0 × 429, 0 lost.

    .venv/bin/python -m bench.broadcast --chats 1000 --groups 5
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.config import Secret, SendingConfig, TelegramConfig
from bot.delivery.sender import configured_delivery
from bot.telegram.delivery import TelegramTransport, delivery_bot
from messages.outbox_codec import encode_reply
from messages.render import Renderer
from messages.replies import Reply
from storage.database import Database, open_database
from storage.delivery import outbox
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram

FIRST_CHAT = 800_000
FIRST_GROUP = -900_000


@dataclass(frozen=True)
class Figures:
    messages: int
    seconds: float
    per_second: float
    limit: int
    too_many_requests: int
    lost: int
    repeated: int

    @property
    def ratio(self) -> float:
        return self.per_second / self.limit


class SlowTransport:
    """The Telegram transport with a network round trip of `latency` seconds."""

    def __init__(self, inner: TelegramTransport, latency: float) -> None:
        self._inner = inner
        self._latency = latency

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        await asyncio.sleep(self._latency)
        return await self._inner.deliver(chat_id, reply)

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None:
        await asyncio.sleep(self._latency)
        await self._inner.edit(chat_id, message_id, reply)


async def queue_broadcast(db: Database, chats: list[int]) -> None:
    payload = encode_reply(Reply("announce_broadcast", {"text": "Rapat koperasi Jumat"}, "id"))
    async with db.transaction() as conn:
        for chat in chats:
            key = f"broadcast:bench:telegram:{chat}"
            await outbox.enqueue(conn, "telegram", str(chat), "broadcast", payload, key, NOW)


async def measure(chats: int, groups: int, per_second: int, latency: float) -> Figures:
    recipients = [FIRST_CHAT + n for n in range(chats)] + [FIRST_GROUP - n for n in range(groups)]
    sending = SendingConfig(telegram_per_second=per_second)
    async with FakeTelegram() as fake:
        fake.rate_limits.enable(global_per_second=float(per_second))
        telegram = TelegramConfig(
            token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        with tempfile.TemporaryDirectory() as folder:
            async with open_database(Path(folder) / "bench.sqlite3") as db:
                await queue_broadcast(db, recipients)
                async with delivery_bot(telegram) as bot:
                    transport = SlowTransport(TelegramTransport(bot, Renderer()), latency)
                    delivery = configured_delivery(db, {"telegram": transport}, sending)
                    while await outbox.next_due_at(db) is not None:
                        await delivery.drain_once()
        times = sorted(call.at for call in fake.calls_to("sendMessage") if call.ok)
        received = [len(fake.messages_to(chat)) for chat in recipients]
        seconds = times[-1] - times[0]
        return Figures(
            messages=len(times),
            seconds=seconds,
            per_second=(len(times) - 1) / seconds if seconds > 0 else 0.0,
            limit=per_second,
            too_many_requests=fake.too_many_requests,
            lost=sum(count == 0 for count in received),
            repeated=sum(max(count - 1, 0) for count in received),
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.broadcast")
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--per-second", type=int, default=SendingConfig.telegram_per_second)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.chats, args.groups, args.per_second, args.latency_ms / 1000))
    print(
        f"{figures.messages} messages in {figures.seconds:.1f} s: "
        f"{figures.per_second:.2f}/s of {figures.limit}/s = {figures.ratio:.3f} of the limit; "
        f"429 answers: {figures.too_many_requests}; lost: {figures.lost}; "
        f"repeated: {figures.repeated}"
    )


if __name__ == "__main__":
    main()
