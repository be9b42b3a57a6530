"""Replies under Telegram's limits: every confirmation arrives, in order, and long ones whole.

The real bot (`run_telegram`: PTB Application, router, handlers, SQLite file) and the real
outbox sender (`bot.delivery.sender`, Telegram transport over HTTP) share one pacer, as in
`belanja-bareng run`. They talk to the fake Bot API on 127.0.0.1, which ENFORCES Telegram's
limits whatever our settings say: 30 messages/s overall, 1/s per chat with a burst of 3,
20/min per group, 429 with `retry_after` beyond them (set here, not from `config.sending`).

`--users` treasurers each send `--orders` order messages at once ("/pesan BRS5 11", then
12, 13, ...), fetched by PTB's long polling. Meanwhile one more treasurer pastes an order of
`--long-lines` products: the longest reply the bot produces (its confirmation lists every
line, split into several messages). Printed: confirmations delivered, lost, out of order
per chat, the 429 answers, the time from the first message queued to the last reply, and
whether the long reply arrived whole (every line, once, in order).
Goal: all delivered, 0 lost, 0 out of order; the long reply whole.

    .venv/bin/python -m bench.replies --users 200 --orders 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config, Secret, TelegramConfig
from bot.delivery.pacing import limits_from
from bot.delivery.sender import Delivery
from bot.telegram.delivery import TelegramTransport, delivery_bot
from bot.telegram.running import run_telegram
from handlers.contract.services import Services
from messages.render import Renderer
from purchasing.model import Rep
from storage.database import Database, open_database
from storage.people import reps
from tests.support.builders import NOW, make_coop, make_product
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.support.storage_builders import PRODUCTS, seed_open_round
from tests.support.use_case_steps import import_catalog

FIRST_USER_ID = 700_000
LONG_USER_ID = 699_999
FIRST_QUANTITY = 11
# Telegram's limits as the fake enforces them (not our `config.sending`).
TELEGRAM_PER_SECOND = 30.0
TELEGRAM_PER_CHAT_PER_SECOND = 1.0
TELEGRAM_PER_CHAT_BURST = 3
TELEGRAM_GROUP_PER_MINUTE = 20.0
QUANTITY = re.compile(r"(\d+) karung")  # "BRS5 Beras medium 5 kg: 11 → 12 karung": the new one


@dataclass(frozen=True)
class Figures:
    expected: int
    delivered: int
    lost: int
    out_of_order: int
    too_many_requests: int
    seconds: float
    long_messages: int
    long_lines_found: int
    long_lines: int

    @property
    def long_whole(self) -> bool:
        return self.long_lines_found == self.long_lines


def product_code(n: int) -> str:
    return f"P{n:03d}"


async def seed(db: Database, users: int, long_lines: int) -> None:
    extra = [
        make_product(product_code(n), name=f"Barang nomor {n}", unit="dus")
        for n in range(long_lines)
    ]
    codes = ["GLP1", "MIE1", "BRS5", *(product.code for product in extra)]
    await seed_open_round(db, codes, products=[*PRODUCTS, *extra])
    coops = [f"B{n:04d}" for n in range(users)]
    await import_catalog(db, coops=[make_coop(code) for code in [*coops, "BLONG"]])
    for n, code in enumerate(coops):
        await reps.add_rep(db, Rep("telegram", str(FIRST_USER_ID + n), code), NOW)
    await reps.add_rep(db, Rep("telegram", str(LONG_USER_ID), "BLONG"), NOW)


def long_order(lines: int) -> str:
    return "\n".join(f"{product_code(n)} {n + 1}" for n in range(lines))


@asynccontextmanager
async def bot_and_sender(fake: FakeTelegram, db: Database) -> AsyncIterator[Delivery]:
    """The bot and the outbox sender as `belanja-bareng run` wires them: one pacer."""
    telegram = TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    config = Config(database=db.path, telegram=telegram)
    services = Services(db=db, now=lambda: NOW)
    async with delivery_bot(telegram) as bot:
        transports = {"telegram": TelegramTransport(bot, Renderer())}
        limits = limits_from(config.sending)  # our settings; the fake enforces its own
        delivery = Delivery(db, transports, limits=limits, clock=lambda: NOW)
        stop, ready = asyncio.Event(), asyncio.Event()
        sender = asyncio.create_task(delivery.run(stop))
        serving = asyncio.create_task(
            run_telegram(
                config,
                services,
                Renderer(),
                stop=stop,
                on_ready=lambda _: ready.set(),
                notify=delivery.notify,
                pacer=delivery.pacer("telegram"),
            )
        )
        await ready.wait()
        try:
            yield delivery
        finally:
            stop.set()
            await asyncio.gather(serving, sender)


def quantities(fake: FakeTelegram, person: FakeUser) -> list[int]:
    """The BRS5 quantity each confirmation in `person`'s chat names, in the order received."""
    found = []
    for message in fake.messages_to(person.id):
        named = QUANTITY.search(message.text or "")
        found.append(int(named.group(1)) if named else -1)
    return found


async def measure(users: int, orders: int, long_lines: int, patience: float) -> Figures:
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.sqlite3") as db:
            await seed(db, users, long_lines)
            async with FakeTelegram() as fake:
                fake.rate_limits.enable(
                    per_chat_per_second=TELEGRAM_PER_CHAT_PER_SECOND,
                    per_chat_burst=TELEGRAM_PER_CHAT_BURST,
                    global_per_second=TELEGRAM_PER_SECOND,
                    group_per_minute=TELEGRAM_GROUP_PER_MINUTE,
                )
                people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
                long_person = fake.user(LONG_USER_ID, "Bendahara Panjang")
                async with bot_and_sender(fake, db):
                    started = time.monotonic()  # the fake's clock
                    await fake.send_text(long_person, long_order(long_lines))
                    for n in range(orders):
                        for person in people:
                            await fake.send_text(person, f"/pesan BRS5 {FIRST_QUANTITY + n}")
                    expected = users * orders
                    deadline = started + patience
                    while time.monotonic() < deadline:
                        got = sum(len(fake.messages_to(p.id)) for p in people)
                        if got >= expected and _long_done(fake, long_person, long_lines):
                            break
                        await asyncio.sleep(0.2)  # a benchmark watching the clock, not a test
                    times = [call.at for call in fake.calls_to("sendMessage") if call.ok]
                    seconds = max(times) - started
                expected_order = [FIRST_QUANTITY + n for n in range(orders)]
                seen = [quantities(fake, person) for person in people]
                delivered = sum(len(got) for got in seen)
                long_text = "\n".join(m.text or "" for m in fake.messages_to(long_person.id))
                return Figures(
                    expected=users * orders,
                    delivered=delivered,
                    lost=sum(max(orders - len(got), 0) for got in seen),
                    out_of_order=sum(got != expected_order for got in seen if len(got) == orders),
                    too_many_requests=fake.too_many_requests,
                    seconds=seconds,
                    long_messages=len(fake.messages_to(long_person.id)),
                    long_lines_found=_lines_in_order(long_text, long_lines),
                    long_lines=long_lines,
                )


def _long_done(fake: FakeTelegram, person: FakeUser, lines: int) -> bool:
    text = "\n".join(m.text or "" for m in fake.messages_to(person.id))
    return _lines_in_order(text, lines) == lines


def _lines_in_order(text: str, lines: int) -> int:
    """How many of the long order's products the text names, each once and in order."""
    position, found = 0, 0
    for n in range(lines):
        at = text.find(product_code(n), position)
        if at < 0 or text.count(product_code(n)) != 1:
            continue
        position, found = at, found + 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.replies")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--long-lines", type=int, default=200)  # the most one message may hold
    parser.add_argument("--patience", type=float, default=300.0, help="seconds to wait at most")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.users, args.orders, args.long_lines, args.patience))
    print(
        f"{args.users} treasurers x {args.orders} orders at once, against a fake enforcing "
        f"{TELEGRAM_PER_SECOND:.0f}/s overall, {TELEGRAM_PER_CHAT_PER_SECOND:.0f}/s per chat "
        f"(burst {TELEGRAM_PER_CHAT_BURST}), {TELEGRAM_GROUP_PER_MINUTE:.0f}/min per group"
    )
    print(
        f"confirmations delivered: {figures.delivered} of {figures.expected}; "
        f"lost: {figures.lost}; out of order: {figures.out_of_order} chats; "
        f"429 answers: {figures.too_many_requests}; time: {figures.seconds:.1f} s "
        f"(at 30/s at least {(figures.expected + figures.long_messages) / 30:.1f} s)"
    )
    print(
        f"long reply ({figures.long_lines}-line order): {figures.long_messages} messages, "
        f"{figures.long_lines_found} of {figures.long_lines} lines, "
        f"{'whole' if figures.long_whole else 'NOT whole'}"
    )
    met = figures.delivered == figures.expected and figures.lost == figures.out_of_order == 0
    result = {
        "bench": "replies",
        "figure": f"{figures.delivered} of {figures.expected} delivered, {figures.lost} lost, "
        f"{figures.out_of_order} out of order, {figures.too_many_requests} x 429, "
        f"{figures.seconds:.1f} s, long reply {'whole' if figures.long_whole else 'NOT whole'}",
        "baseline": "fake enforcing 30/s, 1/s per chat (burst 3), 20/min per group",
        "goal": "all delivered, 0 lost, in order, long replies whole",
        "met": met and figures.long_whole,
    }
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
