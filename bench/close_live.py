"""The running bot while a big round closes: do treasurers still get their replies?

    .venv/bin/python -m bench.close_live [--coops 10000] [--treasurers 50]

Builds the close benchmark's round (`bench.close.seed`: `--coops` coops × 30 of 300 products,
one treasurer per coop, an admin, a linked group) with its deadline a few seconds after the
start of a real `belanja-bareng run` process (`tests.support.bot_process`, talking to the fake
Bot API on 127.0.0.1, reminders off), so the round closes as in production: the scheduler's
job at the deadline runs the sweep, which closes it and queues every bill, purchase order
and overview; the outbox sender starts sending them.

Meanwhile `--treasurers` treasurers keep talking to the bot, each waiting for the bot's reply
before sending the next message: "/pesan <product> <n>" and "/pesanan" in turn (after the
deadline the order is refused as late, as it should be; the reply is what is timed). Printed:
reply latency (p50, p99, max) of the messages sent before the deadline and of those sent
while the round closed (from the deadline until the round is closed and every summary is
queued, watched from this process through a read-only SQLite connection), the close's
duration, and the bot's memory: the largest resident size sampled during the close and its
peak over its whole life (VmHWM from /proc/<pid>/status).
With `--early` the round's deadline stays a day away and the admin closes it early at that
moment instead, as staff do (`/putaran tutup ID`, then the confirm button): the same close,
started from a chat.
Goals: p99 reply ≤ 1 s during the close, peak RSS ≤ 150 MB. `--timeline` prints every reply
from 5 s before the deadline on (when it was sent, how long it took), to see which step of
the close held it up; the last line is `RESULT {json}` for `bench.all`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.close import Shape, seed
from storage.database import open_database
from storage.delivery.outbox import HELD_UNTIL
from storage.encoding import to_db_time
from tests.support.bot_process import SCRIPT, BotProcess, write_config
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.support.fake_telegram.recorder import Call, CallPredicate

FIRST_USER_ID = 500_000
ADMIN_ID = 1
MAX_P99_SECONDS = 1.0
MAX_RSS_MB = 150.0
POLL_SECONDS = 0.05
STOP_PATIENCE = 300.0
BILL_MARK = "🧾"  # the first character of a bill (summary_bill): not a reply


@dataclass
class Watch:
    """What the bench saw: each reply as (sent at, latency), and the close's moments."""

    replies: list[tuple[float, float]] = field(default_factory=list)
    deadline: float = 0.0
    closed_at: float | None = None  # status became closed
    queued_at: float | None = None  # ... and every summary is queued
    rss_kb: int = 0
    ready_kb: int = 0  # once it polls, before anything happens
    talkers: int = 1
    stop: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True)
class Latencies:
    count: int
    p50: float
    p99: float
    worst: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latencies:
        if not seconds:
            return cls(0, 0.0, 0.0, 0.0)
        ordered = sorted(seconds)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return cls(len(ordered), statistics.median(ordered), p99, ordered[-1])

    def line(self) -> str:
        return (
            f"{self.count:>6} replies   p50 {self.p50 * 1000:>7.0f} ms   "
            f"p99 {self.p99 * 1000:>7.0f} ms   max {self.worst * 1000:>7.0f} ms"
        )


async def prepare(database: Path, coops: int, deadline: datetime) -> int:
    start = deadline - timedelta(days=1)
    async with open_database(database) as db:
        return await seed(
            db, Shape(coops), start=start, deadline=deadline, first_user_id=FIRST_USER_ID
        )


def is_reply_to(user: FakeUser) -> CallPredicate:
    def match(call: Call) -> bool:
        text = str(call.params.get("text", ""))
        return call.ok and call.params.get("chat_id") == user.id and not text.startswith(BILL_MARK)

    return match


async def treasurer(fake: FakeTelegram, n: int, watch: Watch, pause: float) -> None:
    """An order, then a look at the order, and again, reading each reply for `pause` seconds
    (Telegram lets the bot send one message a second to a chat: without a pause, that limit
    is what would be timed). The treasurers start `pause / count` apart."""
    person = fake.user(FIRST_USER_ID + n, f"Bendahara {n}")
    turn = 0
    await asyncio.sleep(pause * n / watch.talkers)
    while not watch.stop.is_set():
        text = "/pesanan" if turn % 2 else f"/pesan PRD{(n * 7 + turn) % 300:03d} {turn % 5 + 1}"
        since = len(fake.log.calls)
        sent = time.monotonic()
        await fake.send_text(person, text)
        await fake.wait_for_call("sendMessage", is_reply_to(person), timeout=120, since=since)
        watch.replies.append((sent, time.monotonic() - sent))
        turn += 1
        await asyncio.sleep(pause)  # reading the reply


async def admin_closes_early(fake: FakeTelegram, round_id: int, watch: Watch) -> None:
    """At the bench's deadline the admin asks to close the round and confirms."""
    admin = fake.user(ADMIN_ID, "Admin Dinas")
    await asyncio.sleep(max(0.0, watch.deadline - time.monotonic()))
    since = len(fake.log.calls)
    await fake.send_text(admin, f"/putaran tutup {round_id}")
    call = await fake.wait_for_call("sendMessage", is_asking(admin), timeout=60, since=since)
    assert isinstance(call.result, dict)
    asked = fake.state.history.find(admin.id, int(call.result["message_id"]))
    assert asked is not None
    [confirm] = [button.callback_data for row in asked.buttons for button in row
                 if button.callback_data and button.callback_data.startswith("ac:")]  # fmt: skip
    await fake.press_button(admin, asked, confirm)


def is_asking(admin: FakeUser) -> CallPredicate:
    def match(call: Call) -> bool:
        return call.ok and call.params.get("chat_id") == admin.id and "reply_markup" in call.params

    return match


def close_state(database: Path, round_id: int) -> tuple[bool, bool]:
    """(the round is closed, every summary of it is queued), read without blocking the bot."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        [(status,)] = conn.execute("SELECT status FROM rounds WHERE id = ?", (round_id,))
        [(held,)] = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND next_attempt_at = ?",
            (HELD_UNTIL,),
        )
    finally:
        conn.close()
    return status == "closed", status == "closed" and held == 0


def resident_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


async def watch_close(database: Path, round_id: int, pid: int, watch: Watch) -> None:
    while watch.queued_at is None:
        now = time.monotonic()
        if now >= watch.deadline:
            watch.rss_kb = max(watch.rss_kb, resident_kb(pid, "VmRSS"))
        closed, queued = await asyncio.to_thread(close_state, database, round_id)
        if closed and watch.closed_at is None:
            watch.closed_at = now
        if queued:
            watch.queued_at = now
        await asyncio.sleep(POLL_SECONDS)  # a benchmark watching the clock, not a test


async def _profiled(config: Path, fake: FakeTelegram, log: Path, profile: Path) -> BotProcess:
    """The bot under cProfile (its stats written to `profile` when it stops)."""
    argv = [sys.executable, "-m", "cProfile", "-o", str(profile), str(SCRIPT)]
    environ = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1"}
    return await BotProcess.run(
        [*argv, "--config", str(config), "run"], environ, config.parent, log
    )


async def run(
    coops: int,
    treasurers: int,
    lead: float,
    after: float,
    pause: float,
    profile: Path | None = None,
    keep_log: Path | None = None,
    timeline: bool = False,
    early: bool = False,
) -> bool:
    with tempfile.TemporaryDirectory(prefix="belanja-close-live-") as name:
        folder = Path(name)
        database = folder / "bot.sqlite3"
        print(f"preparing {coops:,} coops x 30 lines (not measured)...", flush=True)
        far = datetime.now(UTC) + timedelta(days=1)
        round_id = await prepare(database, coops, far)
        async with FakeTelegram() as fake:
            config = write_config(fake, database, [f"telegram:{ADMIN_ID}"])
            with config.open("a", encoding="utf-8") as file:
                file.write("[reminders]\noffsets = []\n")
            if not early:
                _set_deadline(database, round_id, datetime.now(UTC) + timedelta(seconds=lead))
            watch = Watch(deadline=time.monotonic() + lead, talkers=treasurers)
            log = folder / "bot.log"
            if profile is None:
                bot = await BotProcess.start(config, fake, log)
            else:
                bot = await _profiled(config, fake, log, profile)
            async with bot:
                await fake.wait_until_polling(timeout=lead)
                watch.ready_kb = resident_kb(bot.process.pid, "VmRSS")
                if time.monotonic() >= watch.deadline:
                    raise SystemExit("the bot was not ready before the deadline: raise --lead")
                talkers = [
                    asyncio.create_task(treasurer(fake, n, watch, pause)) for n in range(treasurers)
                ]
                if early:
                    talkers.append(asyncio.create_task(admin_closes_early(fake, round_id, watch)))
                await watch_close(database, round_id, bot.process.pid, watch)
                await asyncio.sleep(after)  # replies after the close, for comparison
                watch.stop.set()
                await asyncio.gather(*talkers)
                peak_kb = resident_kb(bot.process.pid, "VmHWM")
                if keep_log is not None:
                    shutil.copyfile(log, keep_log)
                if profile is not None:  # cProfile writes its stats on a normal stop
                    await _stop(bot)
    return report(coops, treasurers, pause, watch, peak_kb, timeline)


async def _stop(bot: BotProcess) -> None:
    """SIGTERM, then wait (it may finish sending what it started) so cProfile writes."""
    bot._ending = True  # an expected exit, as `stop` marks it
    bot.process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(bot.process.wait(), timeout=STOP_PATIENCE)


def _set_deadline(database: Path, round_id: int, at: datetime) -> None:
    """Move the prepared round's deadline to `at` before the bot starts (seeding takes a
    while; the bot must be running when the deadline comes)."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute(
            "UPDATE rounds SET closes_at = ?, version = version + 1 WHERE id = ?",
            (to_db_time(at), round_id),
        )
    finally:
        conn.close()


def report(
    coops: int, treasurers: int, pause: float, watch: Watch, peak_kb: int, timeline: bool = False
) -> bool:
    assert watch.closed_at is not None and watch.queued_at is not None
    before = [s for at, s in watch.replies if at < watch.deadline]
    during = [s for at, s in watch.replies if watch.deadline <= at < watch.queued_at]
    later = [s for at, s in watch.replies if at >= watch.queued_at]
    closing = Latencies.of(during)
    print(f"{coops:,} coops x 30 lines; {treasurers} treasurers talking to the bot, "
          f"each reading a reply {pause:g} s before the next message")  # fmt: skip
    print(f"before the deadline:   {Latencies.of(before).line()}")
    print(f"while the round closes:{closing.line()}")
    print(f"after the close:       {Latencies.of(later).line()}")
    print(
        f"close: round closed {watch.closed_at - watch.deadline:.1f} s after the deadline, "
        f"every summary queued after {watch.queued_at - watch.deadline:.1f} s"
    )
    rss_mb, peak_mb = watch.rss_kb / 1024, peak_kb / 1024
    print(f"bot memory: {watch.ready_kb / 1024:.0f} MB when ready; "
          f"largest RSS seen during the close {rss_mb:.0f} MB; "
          f"peak (VmHWM) {peak_mb:.0f} MB")  # fmt: skip
    p99_ok = closing.count > 0 and closing.p99 <= MAX_P99_SECONDS
    rss_ok = peak_mb <= MAX_RSS_MB
    print(f"p99 reply while closing (goal <= {MAX_P99_SECONDS:g} s): "
          f"{'ok' if p99_ok else 'TOO SLOW'}")  # fmt: skip
    print(f"peak RSS (goal <= {MAX_RSS_MB:g} MB): {'ok' if rss_ok else 'TOO BIG'}")
    if timeline:
        print("replies from 5 s before the deadline on (s after the deadline: latency):")
        for at, seconds in sorted(watch.replies):
            if at >= watch.deadline - 5:
                print(f"  {at - watch.deadline:+7.2f}: {seconds * 1000:6.0f} ms")
    result = {
        "bench": "close_live",
        "figure": f"{coops:,} coops: p99 reply while closing {closing.p99:.2f} s, "
        f"bot peak RSS {peak_mb:.0f} MB",
        "baseline": "none: absolute goals",
        "goal": f"p99 <= {MAX_P99_SECONDS:g} s, RSS <= {MAX_RSS_MB:g} MB",
        "met": p99_ok and rss_ok,
    }
    print("RESULT " + json.dumps(result))
    return p99_ok and rss_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--coops", type=int, default=10_000)
    parser.add_argument("--treasurers", type=int, default=50, help="talking during the close")
    parser.add_argument("--lead", type=float, default=15.0, help="seconds from start to deadline")
    parser.add_argument("--after", type=float, default=3.0, help="seconds watched after it")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between messages")
    parser.add_argument("--profile", type=Path, help="run the bot under cProfile, stats here")
    parser.add_argument("--log", type=Path, help="keep the bot's log here")
    parser.add_argument("--timeline", action="store_true", help="print each reply's latency")
    parser.add_argument("--early", action="store_true", help="the admin closes it from the chat")
    args = parser.parse_args(argv)
    figures = (args.coops, args.treasurers, args.lead, args.after, args.pause, args.profile)
    passed = asyncio.run(run(*figures, keep_log=args.log, timeline=args.timeline, early=args.early))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
