"""Throughput of the Telegram bot against a bare PTB echo bot, on the same fake Bot API.

N treasurers each send K order messages ("/pesan BRS5 n" and pasted "GLP1 n / MIE1 m"
lists). Our bot handles them for real (PTB Application, router, handlers, SQLite file);
then an echo bot (one MessageHandler that replies with the text) gets the same updates.
Updates are queued on the fake and fetched by PTB's own long polling (getUpdates), so the
wire is the same for both; the clock runs from the first queued update to the last reply.

    .venv/bin/python -m bench.updates --users 200 --orders 5
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.config import Config, Secret, TelegramConfig
from bot.telegram.running import run_telegram
from handlers.services import Services
from messages.render import Renderer
from purchasing.model import Rep
from storage import reps
from storage.catalog import import_catalog
from storage.database import Database, open_database
from tests.builders import NOW, make_coop
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.storage_builders import seed_open_round

FIRST_USER_ID = 700_000


@dataclass(frozen=True)
class Result:
    updates: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds


def order_texts(user_index: int, orders: int) -> list[str]:
    texts = []
    for n in range(orders):
        if n % 2 == 0:
            texts.append(f"/pesan BRS5 {n + 1 + user_index % 7}")
        else:
            texts.append(f"GLP1 {n + 1}\nMIE1 {1 + user_index % 5} karton")
    return texts


async def seed(db: Database, users: int) -> list[str]:
    await seed_open_round(db)
    codes = [f"B{n:04d}" for n in range(users)]
    await import_catalog(db, coops=[make_coop(code) for code in codes])
    for n, code in enumerate(codes):
        await reps.add_rep(db, Rep("telegram", str(FIRST_USER_ID + n), code), NOW)
    return codes


async def feed_and_wait(fake: FakeTelegram, people: list[FakeUser], orders: int) -> Result:
    """Queue every order message, then wait for one reply to each (no sleeping)."""
    start_at = len(fake.calls)
    started = time.perf_counter()
    for n, person in enumerate(people):
        for text in order_texts(n, orders):
            await fake.send_text(person, text)
    total = len(people) * orders
    since = start_at
    for _ in range(total):
        call = await fake.wait_for_call(
            "sendMessage", lambda call: call.ok, since=since, timeout=120
        )
        since = fake.calls.index(call, since) + 1
    return Result(total, time.perf_counter() - started)


@asynccontextmanager
async def our_bot(fake: FakeTelegram, db: Database) -> AsyncIterator[None]:
    config = Config(
        database=db.path,
        telegram=TelegramConfig(
            token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
        ),
    )
    services = Services(db=db, now=lambda: NOW)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run_telegram(config, services, Renderer(), stop=stop, on_ready=lambda _: ready.set())
    )
    await ready.wait()
    try:
        yield
    finally:
        stop.set()
        await task


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


@asynccontextmanager
async def echo_bot(fake: FakeTelegram, concurrent: int) -> AsyncIterator[None]:
    application = fake.application_builder().concurrent_updates(concurrent or False).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    assert application.updater is not None
    async with application:
        await application.start()
        await application.updater.start_polling(timeout=30)
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


async def bench(users: int, orders: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        async with open_database(Path(directory) / "bench.sqlite3") as db:
            await seed(db, users)
            async with FakeTelegram() as fake:
                people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
                async with our_bot(fake, db):
                    ours = await feed_and_wait(fake, people, orders)
                bad = len(fake.errors)
            async with FakeTelegram() as fake:
                people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
                async with echo_bot(fake, 0):
                    bare = await feed_and_wait(fake, people, orders)
            async with FakeTelegram() as fake:
                people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
                async with echo_bot(fake, 64):
                    bare_concurrent = await feed_and_wait(fake, people, orders)
    report(users, orders, ours, bare, bare_concurrent, bad)


def report(
    users: int, orders: int, ours: Result, bare: Result, bare_concurrent: Result, bad: int
) -> None:
    print(f"{users} users x {orders} order messages, fed by long polling (getUpdates)")
    print(f"belanja-bareng (router + SQLite): {ours.per_second:8.1f} updates/s ({bad} API errors)")
    print(f"bare PTB echo, sequential:        {bare.per_second:8.1f} updates/s")
    print(f"bare PTB echo, 64 concurrent:     {bare_concurrent.per_second:8.1f} updates/s")
    print(
        f"ratio vs sequential echo:         {ours.per_second / bare.per_second:8.2f} (goal >= 0.8)"
    )
    print(f"ratio vs concurrent echo:         {ours.per_second / bare_concurrent.per_second:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--orders", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(bench(args.users, args.orders))


if __name__ == "__main__":
    main()
