"""The round scheduler: catch-up at start, its job table, and jobs that fire late.

APScheduler fires jobs by the wall clock, so the job-table tests place rounds relative to
the real time; the sweeps themselves always use the injected clock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent  # type: ignore[import-untyped]

import tests.support.use_case_steps as steps
from bot.config import Config, SendingConfig
from bot.scheduler import PRUNE_EVERY, PRUNE_ID, SAFETY_SWEEP_ID, RoundScheduler
from purchasing.model import RoundStatus
from purchasing.times import WIB
from spreadsheets.child_process import ChildFailed
from storage import rounds
from storage.delivery import outbox, updates
from storage.delivery.outbox import DeliveryStatus
from tests.support.builders import NOW
from tests.support.fixtures.schedule import Network, queued, seed_network
from tests.support.storage_builders import database_at


@asynccontextmanager
async def running(
    network: Network, *, catch_up: bool = True, notify: Callable[[], None] | None = None
) -> AsyncIterator[RoundScheduler]:
    scheduler = RoundScheduler(network.services, Config(), network.clock, notify=notify)
    await scheduler.start(catch_up=catch_up)
    try:
        yield scheduler
    finally:
        await scheduler.shutdown()


def next_noon_wib(after: datetime, days: int) -> datetime:
    day = after.astimezone(WIB).date() + timedelta(days=days)
    return datetime.combine(day, time(12, 0), tzinfo=WIB).astimezone(UTC)


async def test_the_deadline_passes_while_the_bot_is_down_the_round_closes_at_start_once(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        network.clock.now = network.round.closes_at + timedelta(hours=3)
        woken: list[str] = []

        async with running(network, notify=lambda: woken.append("sender")):
            round_ = await rounds.get_round(db, network.round.id)
            assert round_ is not None and round_.status is RoundStatus.CLOSED
            summaries = await queued(db, "summary")
        async with running(network) as restarted:  # a second start: nothing new
            await restarted.sweep()

        assert len(summaries) == 4  # KOP01's bill, the group, the admin, Bulog's order
        assert woken == ["sender"]  # the sender was told to drain at once
        assert await queued(db, "summary") == summaries


async def test_the_job_table_has_one_job_per_future_moment_that_may_fire_late(
    tmp_path: Path,
) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    closes_at = next_noon_wib(start, days=3)
    async with database_at(tmp_path) as db:
        network = await seed_network(db, now=start, closes_at=closes_at)
        draft = await steps.create_round(
            db, "Putaran berikut", closes_at, closes_at + timedelta(days=2), ["GLP1"], now=start
        )
        async with running(network) as scheduler:
            await scheduler.rebuild()  # a second rebuild replaces, never multiplies
            jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
            open_id = network.round.id
            assert {job_id: job.next_run_time for job_id, job in jobs.items()} == {
                f"open:{draft.id}": closes_at,
                f"close:{open_id}": closes_at,
                f"remind:{open_id}:1440": closes_at - timedelta(hours=24),
                f"remind:{open_id}:120": closes_at - timedelta(hours=2),
                SAFETY_SWEEP_ID: jobs[SAFETY_SWEEP_ID].next_run_time,
                PRUNE_ID: jobs[PRUNE_ID].next_run_time,
            }
            assert all(job.misfire_grace_time is None and job.coalesce for job in jobs.values())

            await steps.cancel_round(db, draft.id)
            await scheduler.rebuild()

            remaining = {job.id for job in scheduler.scheduler.get_jobs()}
            assert f"open:{draft.id}" not in remaining and f"close:{open_id}" in remaining


async def test_a_job_due_in_the_past_runs_at_start(tmp_path: Path) -> None:
    real_now = datetime.now(UTC)
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, now=real_now - timedelta(hours=2), closes_at=real_now - timedelta(minutes=1)
        )
        await network.order("KOP02", "GLP1", 4)
        scheduler = RoundScheduler(network.services, Config(), network.clock)
        await scheduler.rebuild()  # while the round was still open...
        network.clock.now = real_now  # ...then the process slept past the deadline
        close_job = f"close:{network.round.id}"
        fired = asyncio.Event()

        def on_executed(event: JobExecutionEvent) -> None:
            if event.job_id == close_job:
                fired.set()

        scheduler.scheduler.add_listener(on_executed, EVENT_JOB_EXECUTED)
        await scheduler.start(catch_up=False)
        try:
            await asyncio.wait_for(fired.wait(), timeout=10)
        finally:
            await scheduler.shutdown()

        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert [m.chat_id for m in await queued(db, "summary_bill")] == ["102"]


async def test_a_round_given_a_later_deadline_gets_a_new_close_job(tmp_path: Path) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    async with database_at(tmp_path) as db:
        network = await seed_network(db, now=start, closes_at=next_noon_wib(start, days=2))
        async with running(network) as scheduler:
            new_deadline = network.round.closes_at + timedelta(days=1)
            await steps.extend_round(db, network.round.id, new_deadline)
            await scheduler.rebuild()

            job = scheduler.scheduler.get_job(f"close:{network.round.id}")
            assert job is not None and job.next_run_time == new_deadline


async def test_the_catch_up_sweep_uses_the_injected_clock_not_the_wall_clock(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)  # in March 2025, long before the wall clock
        network.clock.now = NOW

        async with running(network):
            round_ = await rounds.get_round(db, network.round.id)

        assert round_ is not None and round_.status is RoundStatus.OPEN


async def test_the_sweep_forgets_delivered_updates_older_than_two_days(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        now = network.clock.now
        await updates.seen_update(db, "telegram", 1, now - timedelta(days=3))
        await updates.seen_update(db, "telegram", 2, now - timedelta(hours=1))

        await RoundScheduler(network.services, Config(), network.clock).sweep()

        assert not await updates.seen_update(db, "telegram", 1, now)  # forgotten: new again
        assert await updates.seen_update(db, "telegram", 2, now)  # still remembered


async def test_a_daily_chart_that_cannot_be_drawn_is_logged_and_the_sweep_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def no_chart(*args: object) -> int:
        raise ChildFailed("spreadsheets.in_child failed (child exit 1): MemoryError", 1)

    monkeypatch.setattr("bot.scheduler.post_daily_chart", no_chart)
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        network.clock.now = network.round.closes_at + timedelta(minutes=1)

        report = await RoundScheduler(network.services, Config(), network.clock).sweep()

        assert report.rounds_changed  # the round closed all the same
        assert "the daily chart was not posted" in caplog.text


async def test_stopping_does_not_wait_for_a_long_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = asyncio.Event()

    async def a_close_that_never_ends(*args: object) -> int:
        stuck.set()
        await asyncio.Event().wait()
        return 0

    monkeypatch.setattr("bot.scheduler.close_due_rounds_apart", a_close_that_never_ends)
    monkeypatch.setattr("bot.scheduler.SHUTDOWN_PATIENCE_SECONDS", 0.01)
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        scheduler = RoundScheduler(network.services, Config(), network.clock)
        sweeping = asyncio.create_task(scheduler.sweep())
        await stuck.wait()

        await asyncio.wait_for(scheduler.shutdown(), timeout=5)

        assert sweeping.cancelled()


async def sent_rows(network: Network, ages: dict[str, timedelta]) -> None:
    """One outbox row per key, marked sent `ages[key]` before the network's now."""
    now = network.clock.now
    for key, age in ages.items():
        await outbox.enqueue(network.db, "telegram", "101", "note", {}, key, now - age)
        [row_id] = await outbox.statuses_with_prefix(network.db, key)
        await outbox.mark_sent(network.db, row_id, now - age)


async def statuses(network: Network) -> dict[str, DeliveryStatus]:
    rows = await outbox.statuses_with_prefix(network.db, "old:")
    found = [await outbox.get_message(network.db, row_id) for row_id in rows]
    return {row.dedupe_key: row.status for row in found if row is not None}


async def test_sent_messages_older_than_thirty_days_are_forgotten_at_start_and_then_daily(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        now = network.clock.now
        await sent_rows(network, {"old:31d": timedelta(days=31), "old:29d": timedelta(days=29)})
        for key, mark in (
            ("old:failed", outbox.mark_failed),
            ("old:blocked", outbox.mark_unreachable),
        ):
            await outbox.enqueue(db, "telegram", "101", "note", {}, key, now - timedelta(days=90))
            [row_id] = await outbox.statuses_with_prefix(db, key)
            await mark(db, row_id, "gave up")
        await outbox.enqueue(
            db, "telegram", "101", "note", {}, "old:pending", now - timedelta(days=90)
        )
        for key, age in (("old:withdrawn:31d", 31), ("old:withdrawn:29d", 29)):
            await outbox.enqueue(db, "telegram", "101", "note", {}, key, now - timedelta(days=age))
            await outbox.withdraw(db, key, "round_closed")  # queued then, never sent
        pruned = asyncio.Event()

        def on_executed(event: JobExecutionEvent) -> None:
            if event.job_id == PRUNE_ID:
                pruned.set()

        async with running(network) as scheduler:
            at_start = await statuses(network)
            job = scheduler.scheduler.get_job(PRUNE_ID)
            assert job.trigger.interval == PRUNE_EVERY == timedelta(days=1)
            assert job.misfire_grace_time is None and job.coalesce

            network.clock.advance(timedelta(days=2))  # the 29-day-old message is now 31 days old
            scheduler.scheduler.add_listener(on_executed, EVENT_JOB_EXECUTED)
            job.modify(next_run_time=datetime.now(UTC))  # the daily job's moment has come
            await asyncio.wait_for(pruned.wait(), timeout=10)
            a_day_later = await statuses(network)

    kept = {"old:failed": DeliveryStatus.FAILED, "old:blocked": DeliveryStatus.UNREACHABLE,
            "old:pending": DeliveryStatus.PENDING}  # fmt: skip
    assert at_start == {
        **kept,
        "old:29d": DeliveryStatus.SENT,
        "old:withdrawn:29d": DeliveryStatus.WITHDRAWN,
    }
    assert a_day_later == kept


async def test_a_summary_forgotten_after_thirty_days_is_not_queued_again(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        network.clock.now = network.round.closes_at + timedelta(minutes=1)
        scheduler = RoundScheduler(network.services, Config(), network.clock)
        await scheduler.sweep()  # the round closes, its summaries are queued
        summaries = await queued(db, "summary")
        for message in summaries:
            await outbox.mark_sent(db, message.id, network.clock.now)
        network.clock.advance(timedelta(days=31))

        pruned = await scheduler.prune()
        report = await scheduler.sweep()

        left = await outbox.delivery_counts(db, kind_prefix="summary")
    assert len(summaries) == 4 and pruned == 4
    assert report.closed == 0  # (the unpaid bill's reminder of the new day is queued)
    assert Counter(left.values()) == Counter({0: len(DeliveryStatus)})  # none queued again


async def test_keep_sent_days_zero_keeps_every_sent_message(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await sent_rows(network, {"old:year": timedelta(days=365)})
        config = Config(sending=SendingConfig(keep_sent_days=0))

        pruned = await RoundScheduler(network.services, config, network.clock).prune()

        assert pruned == 0 and await statuses(network) == {"old:year": DeliveryStatus.SENT}
