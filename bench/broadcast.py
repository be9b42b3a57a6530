"""How close a mixed broadcast comes to the best time Telegram's limits allow.

`--messages` announcements each go to `--chats` private chats, and each of `--groups`
groups gets `--group-messages` messages (progress posts, overviews), all queued in a fresh
SQLite outbox in a shuffled order (each chat's own messages in order) and drained by the
real sender (`bot.delivery.sender.configured_delivery` with `config.sending`, the production
path) through the real Telegram transport (a PTB Bot over HTTP) to the fake Bot API on
127.0.0.1. The fake ENFORCES Telegram's limits whatever the sender's settings say (set
here, as `bench.replies` does): 30 messages/s overall, 1/s per chat with a burst of 3,
20/min per group (a bucket of 20 refilled one every 3 s), 429 with `retry_after` beyond
them; and it answers every request `--latency-ms` later, as a round trip to Telegram would.

The best possible time, from the first message to the last, is the largest of the lower
bounds each limit sets on its own, all buckets starting full: overall (N - 30) / 30 s; a
chat with k messages k - 3 s; a group with k messages also 3 (k - 20) s. (Read as "at most 20
in any 60 s", as the sender does, a group's 21st message waits 60 s for its first: that
bound is printed too when it is longer.) Printed: the time taken, the bound, their ratio,
the 429 answers, and the messages lost, repeated or out of order per chat.
Goal: ratio >= 0.95, 0 x 429, 0 lost, 0 repeated.

    .venv/bin/python -m bench.broadcast --chats 300 --messages 3 --groups 5 --group-messages 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
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
# Telegram's limits as the fake enforces them (not our `config.sending`).
TELEGRAM_PER_SECOND = 30.0
TELEGRAM_PER_CHAT_PER_SECOND = 1.0
TELEGRAM_PER_CHAT_BURST = 3
TELEGRAM_GROUP_PER_MINUTE = 20.0
GOAL = 0.95
NUMBER = re.compile(r"Pengumuman nomor (\d+)")


@dataclass(frozen=True)
class Load:
    chats: int
    messages: int  # to each private chat
    groups: int
    group_messages: int  # to each group

    @property
    def total(self) -> int:
        return self.chats * self.messages + self.groups * self.group_messages

    def recipients(self) -> dict[int, int]:
        """Each chat id and how many messages it gets."""
        private = {FIRST_CHAT + n: self.messages for n in range(self.chats)}
        groups = {FIRST_GROUP - n: self.group_messages for n in range(self.groups)}
        return private | groups

    def best_seconds(self) -> float:
        """The enforced limits' lower bound on the time from the first message to the last."""
        per_chat = TELEGRAM_PER_CHAT_PER_SECOND
        bounds = [(self.total - TELEGRAM_PER_SECOND) / TELEGRAM_PER_SECOND]
        bounds.append((self.messages - TELEGRAM_PER_CHAT_BURST) / per_chat)
        if self.groups:
            k = self.group_messages
            bounds.append((k - TELEGRAM_PER_CHAT_BURST) / per_chat)
            bounds.append((k - TELEGRAM_GROUP_PER_MINUTE) * 60 / TELEGRAM_GROUP_PER_MINUTE)
        return max(0.0, *bounds)

    def window_seconds(self) -> float:
        """The bound with a group's limit read as at most 20 messages in any 60 s: its
        earliest schedule under that window and the per-chat bucket together."""
        if not self.groups:
            return self.best_seconds()
        window = int(TELEGRAM_GROUP_PER_MINUTE)
        times: list[float] = []
        for j in range(self.group_messages):
            at = times[-1] if times else 0.0
            for i in range(j):  # the per-chat bucket: j - i + 1 messages since message i
                need = (j - i + 1 - TELEGRAM_PER_CHAT_BURST) / TELEGRAM_PER_CHAT_PER_SECOND
                at = max(at, times[i] + need)
            if j >= window:
                at = max(at, times[j - window] + 60.0)
            times.append(at)
        return max(self.best_seconds(), times[-1] if times else 0.0)


@dataclass(frozen=True)
class Figures:
    messages: int
    seconds: float
    best_seconds: float
    window_seconds: float
    too_many_requests: int
    lost: int
    repeated: int
    out_of_order: int

    @property
    def ratio(self) -> float:
        return self.best_seconds / self.seconds if self.seconds > 0 else 0.0

    @property
    def met(self) -> bool:
        clean = self.too_many_requests == 0 and self.lost == 0 and self.repeated == 0
        return clean and self.out_of_order == 0 and self.ratio >= GOAL


def shuffled_order(load: Load, seed: int) -> list[tuple[int, int]]:
    """Every (chat, message number) in a shuffled order, each chat's numbers ascending."""
    slots = [chat for chat, count in load.recipients().items() for _ in range(count)]
    random.Random(seed).shuffle(slots)
    counted: dict[int, int] = {}
    order = []
    for chat in slots:
        counted[chat] = counted.get(chat, 0) + 1
        order.append((chat, counted[chat]))
    return order


async def queue_load(db: Database, order: list[tuple[int, int]]) -> None:
    async with db.transaction() as conn:
        for chat, number in order:
            reply = Reply("announce_broadcast", {"text": f"Pengumuman nomor {number}"}, "id")
            key = f"broadcast:bench:{number}:telegram:{chat}"
            await outbox.enqueue(
                conn, "telegram", str(chat), "broadcast", encode_reply(reply), key, NOW
            )


async def measure(load: Load, sending: SendingConfig, latency: float, seed: int) -> Figures:
    async with FakeTelegram(response_delay=latency) as fake:
        fake.rate_limits.enable(
            per_chat_per_second=TELEGRAM_PER_CHAT_PER_SECOND,
            per_chat_burst=TELEGRAM_PER_CHAT_BURST,
            global_per_second=TELEGRAM_PER_SECOND,
            group_per_minute=TELEGRAM_GROUP_PER_MINUTE,
        )
        telegram = TelegramConfig(
            token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        with tempfile.TemporaryDirectory() as folder:
            async with open_database(Path(folder) / "bench.sqlite3") as db:
                await queue_load(db, shuffled_order(load, seed))
                async with delivery_bot(telegram) as bot:
                    transport = TelegramTransport(bot, Renderer())
                    delivery = configured_delivery(db, {"telegram": transport}, sending)
                    stop = asyncio.Event()
                    sender = asyncio.create_task(delivery.run(stop))
                    while True:  # a benchmark watching the outbox, not a test
                        if await outbox.next_due_at(db) is None:
                            break
                        await asyncio.sleep(0.2)
                    stop.set()
                    await sender
        times = sorted(call.at for call in fake.calls_to("sendMessage") if call.ok)
        lost = repeated = out_of_order = 0
        for chat, count in load.recipients().items():
            numbers = [_number(message.text) for message in fake.messages_to(chat)]
            lost += len(set(range(1, count + 1)) - set(numbers))
            repeated += len(numbers) - len(set(numbers))
            out_of_order += numbers != sorted(numbers)
        return Figures(
            messages=len(times),
            seconds=times[-1] - times[0] if times else 0.0,
            best_seconds=load.best_seconds(),
            window_seconds=load.window_seconds(),
            too_many_requests=fake.too_many_requests,
            lost=lost,
            repeated=repeated,
            out_of_order=out_of_order,
        )


def _number(text: str | None) -> int:
    found = NUMBER.search(text or "")
    return int(found.group(1)) if found else -1


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.broadcast")
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3, help="to each private chat")
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--group-messages", type=int, default=20, help="to each group")
    parser.add_argument(
        "--per-second",
        type=int,
        default=SendingConfig.telegram_per_second,
        help="the SENDER's overall limit (config.sending); the fake enforces 30/s regardless",
    )
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    load = Load(args.chats, args.messages, args.groups, args.group_messages)
    sending = SendingConfig(telegram_per_second=args.per_second)
    figures = asyncio.run(measure(load, sending, args.latency_ms / 1000, args.seed))
    print(
        f"{load.chats} chats x {load.messages} + {load.groups} groups x {load.group_messages} "
        f"= {load.total} messages, shuffled; the fake enforcing {TELEGRAM_PER_SECOND:.0f}/s "
        f"overall, {TELEGRAM_PER_CHAT_PER_SECOND:.0f}/s per chat (burst "
        f"{TELEGRAM_PER_CHAT_BURST}), {TELEGRAM_GROUP_PER_MINUTE:.0f}/min per group; "
        f"round trip {args.latency_ms:g} ms; the sender at {args.per_second}/s"
    )
    print(
        f"{figures.messages} sent in {figures.seconds:.1f} s; best possible "
        f"{figures.best_seconds:.1f} s: {figures.ratio:.3f} of it (goal >= {GOAL})"
    )
    if figures.window_seconds > figures.best_seconds:
        print(
            f"  with 20/min per group read as at most 20 in any 60 s: "
            f"best {figures.window_seconds:.1f} s, "
            f"{figures.window_seconds / figures.seconds:.3f} of it"
        )
    print(
        f"429 answers: {figures.too_many_requests}; lost: {figures.lost}; "
        f"repeated: {figures.repeated}; chats out of order: {figures.out_of_order}"
    )
    summary = {
        "bench": "broadcast",
        "figure": (
            f"{figures.ratio:.3f} of the best possible time ({figures.seconds:.1f} s vs "
            f"{figures.best_seconds:.1f} s), {figures.too_many_requests} x 429, "
            f"{figures.lost} lost, {figures.repeated} repeated"
        ),
        "baseline": (
            f"lower bound of the fake's enforced limits (30/s, 1/s per chat burst 3, "
            f"20/min per group) for {load.total} messages"
        ),
        "goal": f">= {GOAL}, 0 x 429, 0 lost, 0 repeated",
        "met": figures.met,
        "ratio": round(figures.ratio, 3),
        "seconds": round(figures.seconds, 2),
        "best_seconds": round(figures.best_seconds, 2),
        "too_many_requests": figures.too_many_requests,
        "lost": figures.lost,
        "repeated": figures.repeated,
        "out_of_order": figures.out_of_order,
    }
    print("RESULT " + json.dumps(summary))


if __name__ == "__main__":
    main()
