"""Throughput of the Telegram bot against a bare PTB echo bot, on the same fake Bot API.

N treasurers each send K order messages ("/pesan BRS5 n" and pasted "GLP1 n / MIE1 m"
lists). Our bot handles them for real (PTB Application, router, handlers, SQLite file);
an echo bot (one MessageHandler that replies with the text) gets the same updates. Each of
`--runs` pairs runs both back to back on a fresh database (which goes first alternates), so
both meet the same machine load; the median pair is reported.
Updates are queued on the fake and fetched by PTB's own long polling (getUpdates), so the
wire is the same for both; the clock runs from the first queued update to the last reply.

The echo bot is built by the same `build_bare_application` as ours, so it has the same
update processor (64 updates at once, one chat's updates in order), the same connection
pool and timeouts: the ratio against it is the cost of our handlers, storage and rendering
at our production settings. httpx's pool spends more per request the more requests are in
flight, which slows the fast echo more than us. A sequential echo (one update at a time)
is shown for reference: on 127.0.0.1 waiting for the network costs nothing, so concurrency
only adds bookkeeping there; with Telegram's real round trips it is what keeps 200
treasurers from waiting on each other.

The fake runs in the same process and event loop, so its own work is counted too, and CPU
time per update includes it: recording calls for both bots, and parsing our HTML replies
for ours only, as the echo sends plain text. Real Telegram does
that parsing on its own servers.

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
from statistics import median
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.config import Config, Secret, TelegramConfig
from bot.telegram.application import build_bare_application
from bot.telegram.running import ALLOWED_UPDATES, POLL_TIMEOUT_SECONDS, run_telegram
from handlers.contract.services import Services
from messages.render import Renderer
from purchasing.model import Rep
from storage import rounds
from storage.commitment_reads import coops_with_orders
from storage.database import Database, open_database
from storage.people import reps
from tests.support.builders import NOW, make_coop
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.support.storage_builders import seed_open_round
from tests.support.use_case_steps import import_catalog

FIRST_USER_ID = 700_000


@dataclass(frozen=True)
class Result:
    updates: int
    seconds: float
    cpu_seconds: float  # of the whole process: bot, fake and SQLite's thread

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / self.updates


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
    started, cpu_started = time.perf_counter(), time.process_time()
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
    return Result(total, time.perf_counter() - started, time.process_time() - cpu_started)


def bot_config(fake: FakeTelegram, db: Database) -> Config:
    telegram = TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    return Config(database=db.path, telegram=telegram)


@asynccontextmanager
async def our_bot(fake: FakeTelegram, db: Database) -> AsyncIterator[None]:
    services = Services(db=db, now=lambda: NOW)
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run_telegram(
            bot_config(fake, db), services, Renderer(), stop=stop, on_ready=lambda _: ready.set()
        )
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
async def echo_bot(fake: FakeTelegram, db: Database, sequential: bool) -> AsyncIterator[None]:
    """A bare echo bot with our Application settings (or processing one update at a time)."""
    if sequential:
        application: Application[Any, Any, Any, Any, Any, Any] = (
            fake.application_builder().concurrent_updates(False).build()
        )
    else:
        application = build_bare_application(bot_config(fake, db))
    application.add_handler(MessageHandler(filters.TEXT, echo))
    assert application.updater is not None
    async with application:
        await application.updater.start_polling(
            timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES
        )
        await application.start()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


async def bench(users: int, orders: int, runs: int) -> None:
    """`runs` pairs of runs (ours and the echo, back to back, in alternating order) on a
    fresh database each, so both sides of a pair meet the same machine load."""
    pairs: list[tuple[Result, Result]] = []
    bad = ordering = 0
    for run in range(runs):
        with tempfile.TemporaryDirectory() as directory:
            async with open_database(Path(directory) / "bench.sqlite3") as db:
                await seed(db, users)
                first_ours = run % 2 == 0
                if not first_ours:
                    bare = await run_echo(db, users, orders, sequential=False)
                async with FakeTelegram() as fake:
                    people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
                    async with our_bot(fake, db):
                        ours = await feed_and_wait(fake, people, orders)
                    bad += len(fake.errors)
                if first_ours:
                    bare = await run_echo(db, users, orders, sequential=False)
                ordering = await ordering_coops(db)
                pairs.append((ours, bare))
                print_pair(run + 1, ours, bare)
                if run == runs - 1:
                    sequential = await run_echo(db, users, orders, sequential=True)
    report(users, orders, pairs, sequential, bad, ordering)


async def run_echo(db: Database, users: int, orders: int, *, sequential: bool) -> Result:
    async with FakeTelegram() as fake:
        people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]
        async with echo_bot(fake, db, sequential):
            return await feed_and_wait(fake, people, orders)


async def ordering_coops(db: Database) -> int:
    """How many coops have an order now: a reply is counted only if the order was taken."""
    round_ = await rounds.current_round(db, NOW)
    return 0 if round_ is None else len(await coops_with_orders(db, round_.id))


def print_pair(number: int, ours: Result, bare: Result) -> None:
    print(
        f"run {number}: ours {ours.per_second:6.1f}/s ({ours.cpu_ms_per_update:.2f} CPU ms), "
        f"echo {bare.per_second:6.1f}/s ({bare.cpu_ms_per_update:.2f} CPU ms), "
        f"ratio {ours.per_second / bare.per_second:.2f}",
        flush=True,
    )


def report(
    users: int,
    orders: int,
    pairs: list[tuple[Result, Result]],
    bare_sequential: Result,
    bad: int,
    ordering: int,
) -> None:
    ratios = sorted(ours.per_second / bare.per_second for ours, bare in pairs)
    ours, bare = min(
        pairs, key=lambda pair: abs(pair[0].per_second / pair[1].per_second - median(ratios))
    )
    print(f"{users} users x {orders} order messages, fed by long polling (getUpdates)")
    print(f"{'median run':34}{'updates/s':>10}{'CPU ms/update':>15}")
    for name, result in (
        (f"belanja-bareng ({bad} API errors)", ours),
        ("bare PTB echo, same settings", bare),
        ("bare PTB echo, sequential", bare_sequential),
    ):
        print(f"{name:34}{result.per_second:10.1f}{result.cpu_ms_per_update:15.2f}")
    spread = f"{ratios[0]:.2f}-{ratios[-1]:.2f}"
    print(f"ratio vs echo, same settings:     {median(ratios):8.2f} (goal >= 0.8)")
    print(f"  median of {len(ratios)} pairs of runs, from {spread}")
    print(f"ratio vs echo, sequential:        {ours.per_second / bare_sequential.per_second:8.2f}")
    print(f"coops whose orders were taken:    {ordering:8d} of {users} (last run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs (median reported)")
    args = parser.parse_args()
    asyncio.run(bench(args.users, args.orders, args.runs))


if __name__ == "__main__":
    main()
