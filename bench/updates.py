"""Throughput of the Telegram bot against the best-tuned bare PTB echo bot, on the same fake.

N treasurers each send K order messages ("/pesan BRS5 n" and pasted "GLP1 n / MIE1 m"
lists). Our bot handles them for real (`run_telegram`, as `belanja-bareng run` builds the
Application: router, handlers, SQLite file, audit, the reply, the group's progress post
queued); an echo bot (one MessageHandler that replies with the text) gets the same updates.
Updates are queued on the fake and fetched by PTB's own long polling (getUpdates), so the
wire is the same for both; the clock runs from the first queued update to the last reply.

Everything is measured at each `--delay-ms`: the fake answers every request that much later,
as a round trip to Telegram would take (50 ms: Telegram seen from Indonesia; 0: 127.0.0.1).

1. The sweep: the echo at every `--echo-concurrency` (`concurrent_updates(n)`) and
   `--echo-pool` (`connection_pool_size(n)`), and with our own one-connection lanes of each
   `--echo-lanes` size (`bot.telegram.lanes`: what made ours cheaper must be offered to the
   baseline too), one run each; a run that has not finished
   after `--budget` seconds is stopped and rated by the replies it got by then. Ours at its
   production settings (64 updates at once, one chat's in order, 64 connections, each a
   lane of its own: `bot.telegram.lanes`) and at any other `--ours-concurrency` x
   `--ours-pool` (`--ours-pool`: the number of lanes).
2. The pairs: ours at its production settings against the echo at each of the `--finalists`
   best settings of the sweep (one run is noisy), `--pairs` times back to back on a fresh
   database (which goes first alternates, so both meet the same machine load); each pair
   compares ours with the fastest echo of the pair. The median ratio is the figure; goal >=
   0.8.
3. The ceiling: in each pair, also our bot with its work taken out. The router's answers to
   ours in the first pair are recorded (per chat and message), and this run's router returns
   them at once: the same Application, updates, rendering and replies sent, but no SQLite,
   audit, rules or order parsing. Its ratio to the same echoes is the most any change to our
   work could reach: what is left is the price of sending our replies (longer, HTML, their
   entities parsed by the fake as by Telegram and read back by PTB) and of our Application.

Our bot runs without the outbox sender's pacer (which holds replies to Telegram's 30/s and
is measured by `bench.replies`); with it both bots would be held to 30/s. The fake runs in
the same process and event loop, so its own work is counted too, and CPU time per update
includes it: recording calls for both bots, and parsing our HTML replies for ours only.

    .venv/bin/python -m bench.updates --users 200 --orders 5
    .venv/bin/python -m bench.updates --delay-ms 0,50 --echo-concurrency 1,8,32,64,256 \\
        --echo-pool 1,8,32,64,256 --ours-concurrency 8,64,256 --ours-pool 8,64,256
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any
from unittest import mock

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

import bot.telegram.application as application_module
from bot.config import Config, Secret, TelegramConfig
from bot.telegram.application import CONCURRENT_UPDATES, CONNECTION_POOL_SIZE
from bot.telegram.lanes import LanesRequest
from bot.telegram.running import ALLOWED_UPDATES, POLL_TIMEOUT_SECONDS, run_telegram
from handlers import router
from handlers.contract.events import IncomingEvent
from handlers.contract.services import Services
from messages.render import Renderer
from messages.replies import Reply
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
GOAL = 0.8

# What our router answered to each message: (chat id, text) -> its replies.
Answers = dict[tuple[str, str | None], Sequence[Reply]]


@dataclass(frozen=True, order=True)
class Setting:
    concurrency: int
    pool: int
    lanes: bool = False  # the pool as `LanesRequest`'s one-connection lanes (as ours has it)

    def __str__(self) -> str:
        kind = "lanes" if self.lanes else "pool"
        return f"{self.concurrency} at once, {kind} {self.pool}"


PRODUCTION = Setting(CONCURRENT_UPDATES, CONNECTION_POOL_SIZE, lanes=True)


@dataclass(frozen=True)
class Result:
    updates: int  # replies received
    expected: int
    seconds: float  # from the first update queued to the last reply received
    cpu_seconds: float  # of the whole process: bot, fake and SQLite's thread
    errors: int = 0  # API errors answered (ours) or handler errors (the echo)

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / max(self.updates, 1)

    @property
    def note(self) -> str:
        cut = "" if self.updates == self.expected else f" ({self.updates} of {self.expected})"
        return cut + (f" [{self.errors} errors]" if self.errors else "")


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


def people_of(fake: FakeTelegram, users: int) -> list[FakeUser]:
    return [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(users)]


async def feed_and_wait(
    fake: FakeTelegram, people: list[FakeUser], orders: int, budget: float | None
) -> Result:
    """Queue every order message, then wait for one reply to each (no sleeping); after
    `budget` seconds (None: 120) stop waiting and count the replies received by then."""
    start_at = len(fake.calls)
    started, cpu_started = time.perf_counter(), time.process_time()
    for n, person in enumerate(people):
        for text in order_texts(n, orders):
            await fake.send_text(person, text)
    total = len(people) * orders
    deadline = started + (budget if budget is not None else 120.0)
    since, received, last_at, last_cpu = start_at, 0, started, cpu_started
    while received < total:
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        try:
            call = await fake.wait_for_call(
                "sendMessage", lambda call: call.ok, since=since, timeout=left
            )
        except AssertionError:  # the budget ran out
            break
        since = fake.calls.index(call, since) + 1
        received += 1
        last_at, last_cpu = time.perf_counter(), time.process_time()
    return Result(received, total, last_at - started, last_cpu - cpu_started)


def bot_config(fake: FakeTelegram, db: Database) -> Config:
    telegram = TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    return Config(database=db.path, telegram=telegram)


@contextmanager
def our_setting(setting: Setting) -> Iterator[None]:
    """Build our Application with `setting` instead of its own (nothing changed for
    PRODUCTION, so that one is exactly what `belanja-bareng run` builds)."""
    if setting == PRODUCTION:
        yield
        return

    with (
        mock.patch.object(application_module, "CONCURRENT_UPDATES", setting.concurrency),
        mock.patch.object(application_module, "CONNECTION_POOL_SIZE", setting.pool),
    ):
        yield


@asynccontextmanager
async def our_bot(fake: FakeTelegram, db: Database, setting: Setting) -> AsyncIterator[None]:
    services = Services(db=db, now=lambda: NOW)
    stop, ready = asyncio.Event(), asyncio.Event()
    with our_setting(setting):
        task = asyncio.create_task(
            run_telegram(
                bot_config(fake, db),
                services,
                Renderer(),
                stop=stop,
                on_ready=lambda _: ready.set(),
            )
        )
        await ready.wait()
    try:
        yield
    finally:
        stop.set()
        await task


async def run_ours(
    users: int,
    orders: int,
    delay: float,
    setting: Setting,
    *,
    record: Answers | None = None,
    replay: Answers | None = None,
) -> tuple[Result, int]:
    """Ours on a fresh database; also how many coops' orders were taken. With `record`, what
    the router answered is kept there; with `replay`, the router only returns those answers
    (the ceiling: our bot without its work)."""
    with tempfile.TemporaryDirectory() as directory:
        async with open_database(Path(directory) / "bench.sqlite3") as db:
            await seed(db, users)
            async with FakeTelegram(response_delay=delay) as fake:
                people = people_of(fake, users)
                with _router(record, replay):
                    async with our_bot(fake, db, setting):
                        result = await feed_and_wait(fake, people, orders, None)
                errors = len(fake.errors)
            ordering = await ordering_coops(db)
    return _with_errors(result, errors), ordering


def _router(record: Answers | None, replay: Answers | None) -> AbstractContextManager[object]:
    if replay is not None:

        async def answer(services: Services, event: IncomingEvent) -> list[Reply]:
            # None recorded: no reply, and the run reports the replies it missed
            return list(replay.get((event.chat_id, event.text), ()))

        return mock.patch.object(router, "handle", answer)
    if record is not None:
        real = router.handle

        async def handle(services: Services, event: IncomingEvent) -> list[Reply]:
            record[(event.chat_id, event.text)] = answered = await real(services, event)
            return answered

        return mock.patch.object(router, "handle", handle)
    return nullcontext()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def run_echo(
    users: int, orders: int, delay: float, setting: Setting, budget: float | None
) -> Result:
    """A bare echo bot: PTB's own update processor and pool, at `setting`."""
    errors = 0

    async def count_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal errors
        errors += 1

    async with FakeTelegram(response_delay=delay) as fake:
        people = people_of(fake, users)
        builder = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .job_queue(None)
            .concurrent_updates(setting.concurrency)
        )
        if setting.lanes:
            builder = builder.request(LanesRequest(setting.pool))
        else:
            builder = builder.connection_pool_size(setting.pool)
        application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        application.add_error_handler(count_error)
        assert application.updater is not None
        async with application:
            await application.updater.start_polling(
                timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES
            )
            await application.start()
            try:
                result = await feed_and_wait(fake, people, orders, budget)
            finally:
                await application.updater.stop()
                while not application.update_queue.empty():  # a run cut short: drop the rest
                    application.update_queue.get_nowait()
                    application.update_queue.task_done()
                await application.stop()
    return _with_errors(result, errors)


def _with_errors(result: Result, errors: int) -> Result:
    return Result(result.updates, result.expected, result.seconds, result.cpu_seconds, errors)


async def ordering_coops(db: Database) -> int:
    """How many coops have an order now: a reply is counted only if the order was taken."""
    round_ = await rounds.current_round(db, NOW)
    return 0 if round_ is None else len(await coops_with_orders(db, round_.id))


@dataclass(frozen=True)
class AtDelay:
    delay_ms: float
    echo_sweep: dict[Setting, Result]
    ours_sweep: dict[Setting, Result]
    pairs: list[tuple[Result, Result, Setting]]  # ours, the fastest echo, its setting
    ordering: int
    ceilings: list[Result]  # per pair: ours replaying its recorded answers (no work)

    @property
    def echo_best(self) -> Setting:
        """The echo's setting that was fastest in most pairs."""
        return Counter(setting for _, _, setting in self.pairs).most_common(1)[0][0]

    @property
    def ours_best(self) -> Setting:
        return max(self.ours_sweep, key=lambda setting: self.ours_sweep[setting].per_second)

    @property
    def ratios(self) -> list[float]:
        return sorted(ours.per_second / echo.per_second for ours, echo, _ in self.pairs)

    @property
    def ratio(self) -> float:
        return median(self.ratios)

    @property
    def ceiling_ratio(self) -> float:
        """The median, over the pairs, of the work-free run's rate to the pair's echo."""
        echoes = [echo for _, echo, _ in self.pairs]
        return median(
            c.per_second / e.per_second for c, e in zip(self.ceilings, echoes, strict=True)
        )


async def at_delay(
    users: int,
    orders: int,
    delay_ms: float,
    echo_settings: list[Setting],
    ours_settings: list[Setting],
    pairs: int,
    finalists: int,
    budget: float,
) -> AtDelay:
    delay = delay_ms / 1000
    print(f"\n== the fake answering after {delay_ms:g} ms ==", flush=True)
    echo_sweep: dict[Setting, Result] = {}
    for setting in echo_settings:
        echo_sweep[setting] = result = await run_echo(users, orders, delay, setting, budget)
        print(f"echo, {setting}: {_line(result)}", flush=True)
    ours_sweep: dict[Setting, Result] = {}
    ordering = 0
    for setting in ours_settings:
        ours_sweep[setting], ordering = await run_ours(users, orders, delay, setting)
        name = "production" if setting == PRODUCTION else str(setting)
        print(f"ours, {name}: {_line(ours_sweep[setting])}", flush=True)
    ranked = sorted(echo_sweep, key=lambda setting: echo_sweep[setting].per_second)
    top = ranked[::-1][:finalists]
    measured: list[tuple[Result, Result, Setting]] = []
    ceilings: list[Result] = []
    answers: Answers = {}
    for number in range(pairs):
        echoes: dict[Setting, Result] = {}
        if number % 2 == 1:
            echoes = {
                setting: await run_echo(users, orders, delay, setting, None) for setting in top
            }
        record = answers if number == 0 else None
        ours, ordering = await run_ours(users, orders, delay, PRODUCTION, record=record)
        ceiling, taken = await run_ours(users, orders, delay, PRODUCTION, replay=answers)
        if taken or ceiling.updates != ceiling.expected:  # not our bot without its work
            raise SystemExit(
                f"the replayed run took {taken} orders and got {ceiling.updates} replies"
            )
        ceilings.append(ceiling)
        if number % 2 == 0:
            echoes = {
                setting: await run_echo(users, orders, delay, setting, None) for setting in top
            }
        best = max(echoes, key=lambda setting: echoes[setting].per_second)
        bare = echoes[best]
        measured.append((ours, bare, best))
        tried = ", ".join(f"{setting}: {echoes[setting].per_second:.1f}/s" for setting in top)
        print(
            f"pair {number + 1}: ours {_line(ours)}; echo ({tried}): fastest {_line(bare)}; "
            f"ratio {ours.per_second / bare.per_second:.2f}; without our work (ceiling) "
            f"{_line(ceiling)}, ratio {ceiling.per_second / bare.per_second:.2f}",
            flush=True,
        )
    return AtDelay(delay_ms, echo_sweep, ours_sweep, measured, ordering, ceilings)


def _line(result: Result) -> str:
    return (
        f"{result.per_second:6.1f} updates/s, {result.cpu_ms_per_update:.2f} CPU ms/update"
        f"{result.note}"
    )


def print_grid(title: str, sweep: dict[Setting, Result]) -> None:
    for lanes in sorted({setting.lanes for setting in sweep}):
        _print_grid(title, {s: r for s, r in sweep.items() if s.lanes == lanes}, lanes)


def _print_grid(title: str, sweep: dict[Setting, Result], lanes: bool) -> None:
    pools = sorted({setting.pool for setting in sweep})
    concurrencies = sorted({setting.concurrency for setting in sweep})
    print(title)
    header = "at once \\ lanes" if lanes else "at once \\ pool"
    print(f"{header:>16}" + "".join(f"{pool:>9}" for pool in pools))
    for concurrency in concurrencies:
        cells = [sweep.get(Setting(concurrency, pool, lanes)) for pool in pools]
        row = "".join(f"{cell.per_second:9.1f}" if cell else f"{'-':>9}" for cell in cells)
        print(f"{concurrency:>16}" + row)


def report(users: int, orders: int, results: list[AtDelay]) -> dict[str, object]:
    print(f"\n{users} users x {orders} order messages, fed by long polling (getUpdates)")
    figures: dict[str, object] = {}
    for at in results:
        print(f"\n-- round trip {at.delay_ms:g} ms --")
        print_grid("echo, updates/s (one run each):", at.echo_sweep)
        if len(at.ours_sweep) > 1:
            print_grid("ours, updates/s (one run each):", at.ours_sweep)
        best = at.echo_best
        spread = f"{at.ratios[0]:.2f}-{at.ratios[-1]:.2f}"
        ours_median = median(ours.per_second for ours, _, _ in at.pairs)
        echo_median = median(echo.per_second for _, echo, _ in at.pairs)
        print(f"echo's best setting: {best}")
        print(
            f"ours (production: {PRODUCTION}) {ours_median:.1f}/s vs echo {echo_median:.1f}/s: "
            f"ratio {at.ratio:.2f} (median of {len(at.pairs)} pairs, {spread}; goal >= {GOAL})"
        )
        ceiling_median = median(ceiling.per_second for ceiling in at.ceilings)
        print(
            f"ceiling: ours without its work (its recorded answers replayed) "
            f"{ceiling_median:.1f}/s: ratio {at.ceiling_ratio:.2f}, the most any change to "
            f"our work could reach"
        )
        if at.ours_best != PRODUCTION:
            print(f"ours was fastest at {at.ours_best} in the sweep")
        print(f"coops whose orders were taken: {at.ordering} of {users} (last run)")
        key = f"{at.delay_ms:g}ms"
        figures[f"ratio_{key}"] = round(at.ratio, 3)
        figures[f"ours_{key}"] = round(ours_median, 1)
        figures[f"echo_{key}"] = round(echo_median, 1)
        figures[f"ceiling_ratio_{key}"] = round(at.ceiling_ratio, 3)
        figures[f"echo_best_{key}"] = str(best)
        figures[f"ours_best_{key}"] = str(at.ours_best)
    return figures


def settings(concurrencies: list[int], pools: list[int], *, lanes: bool = False) -> list[Setting]:
    return [Setting(c, pool, lanes) for c in concurrencies for pool in pools]


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


async def bench(args: argparse.Namespace) -> None:
    echo_settings = settings(numbers(args.echo_concurrency), numbers(args.echo_pool)) + settings(
        numbers(args.echo_concurrency), numbers(args.echo_lanes), lanes=True
    )
    ours_settings = sorted(
        {
            PRODUCTION,
            *settings(numbers(args.ours_concurrency), numbers(args.ours_pool), lanes=True),
        }
    )
    results = [
        await at_delay(
            args.users,
            args.orders,
            delay,
            echo_settings,
            ours_settings,
            args.pairs,
            args.finalists,
            args.budget,
        )
        for delay in (float(part) for part in args.delay_ms.split(","))
    ]
    figures = report(args.users, args.orders, results)
    worst = min(at.ratio for at in results)
    parts = ", ".join(f"{at.ratio:.2f} at {at.delay_ms:g} ms" for at in results)
    bests = "; ".join(f"{at.delay_ms:g} ms: {at.echo_best}" for at in results)
    summary = {
        "bench": "updates",
        "figure": f"ratio {parts}",
        "baseline": f"bare PTB echo at its best setting ({bests})",
        "goal": f"ratio >= {GOAL} at each delay",
        "met": worst >= GOAL,
        **figures,
    }
    print("RESULT " + json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--delay-ms", default="0,50", help="the fake's round trips, e.g. 0,50")
    parser.add_argument("--echo-concurrency", default="1,8,32,64,256")
    parser.add_argument("--echo-pool", default="1,8,32,64,256")
    parser.add_argument(
        "--echo-lanes",
        default="8,32,64",
        help="the echo also with our one-connection lanes (bot.telegram.lanes) of these sizes",
    )
    parser.add_argument("--ours-concurrency", default=str(PRODUCTION.concurrency))
    parser.add_argument("--ours-pool", default=str(PRODUCTION.pool))
    parser.add_argument("--pairs", type=int, default=3, help="ours vs the echo's best (median)")
    parser.add_argument(
        "--finalists", type=int, default=2, help="the echo's best settings run in each pair"
    )
    parser.add_argument(
        "--budget", type=float, default=4.0, help="seconds a sweep run of the echo may take"
    )
    args = parser.parse_args()
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
