"""The round scheduler: APScheduler jobs, rebuilt from the database, that call the sweeps.

The database is the source of truth for what must happen and when; jobs are only alarm
clocks. `rebuild()` reads the draft and open rounds and (re)adds one date job per future
moment, with a fixed id so nothing multiplies: "open:<round>" at `opens_at`, "close:<round>"
at `closes_at`, "remind:<round>:<minutes>" when a reminder is due (see
`purchasing.reminders`). Jobs of rounds that no longer need them are removed. Every job
runs ALL the sweeps (`usecases.sweeps`, `usecases.notices.reminders`) with the injected clock, never
a per-round action, so a job that fires twice, late (`misfire_grace_time=None`) or together
with another is harmless. A job after which a round opened, closed or got its MOQ extension
rebuilds the table.

`start()` runs the sweeps once (catch-up after downtime), starts APScheduler, rebuilds, and
adds the safety sweep "sweep" every minute (which also covers a clock that is not the wall
clock, as in tests and the demo). Housekeeping that need not run every minute goes in the
daily job "prune" (`prune()`: sent outbox rows older than `[sending] keep_sent_days`), which
also runs once at start. Call `rebuild()` after staff create, extend or cancel a
round (`Services.on_round_changed`).

Each sweep also posts the open round's progress chart to the group, once a local day and
outside quiet hours (`usecases.charts.post_daily_chart`). Due rounds are closed by a child
process (`bot.close_child`): a province's close builds ~160 MB that the bot would keep.
A sweep that queued messages (a round opened, closed or extended, reminders) or wrote the
bills a crash had left held calls `notify`, so the outbox sender sends them at once instead
of at its idle timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# APScheduler 3 ships no type information.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from bot.close_child import close_due_rounds_apart
from bot.config import Config
from handlers.contract.services import Services
from purchasing.model import Round, RoundStatus
from purchasing.reminders import QuietPeriod, ReminderPolicy, offset_minutes, reminder_plan
from purchasing.times import Clock
from storage import rounds
from storage.delivery import updates
from usecases.charts import post_daily_chart
from usecases.sweeps import (
    keep_sent_for,
    open_due_rounds,
    prune_sent_messages,
    remind_unpaid_bills,
    send_due_reminders,
)

log = logging.getLogger(__name__)
SHUTDOWN_PATIENCE_SECONDS = 5.0  # a sweep in progress may finish; a longer one is stopped

SAFETY_SWEEP_ID = "sweep"
SAFETY_SWEEP_EVERY = timedelta(minutes=1)
PRUNE_ID = "prune"
PRUNE_EVERY = timedelta(days=1)
# Telegram and Meta stop re-delivering an update within a day; its record may go after two.
UPDATES_KEPT = timedelta(days=2)
_ROUND_JOB_PREFIXES = ("open:", "close:", "remind:")


def reminder_policy(config: Config) -> ReminderPolicy:
    quiet = config.quiet_hours
    return ReminderPolicy(
        offsets=config.reminders.offsets,
        quiet=QuietPeriod(start=quiet.start, end=quiet.end, zone=config.timezone),
    )


@dataclass(frozen=True, slots=True)
class SweepReport:
    opened: int
    closed: int
    reminders: int
    extended: bool  # some open round's deadline moved (a MOQ extension)
    held_bills: bool = False  # bills a close had left held were written (now due)

    @property
    def rounds_changed(self) -> bool:
        return bool(self.opened or self.closed or self.extended)


class RoundScheduler:
    def __init__(
        self,
        services: Services,
        config: Config,
        clock: Clock,
        *,
        scheduler: AsyncIOScheduler | None = None,
        notify: Callable[[], None] | None = None,
    ) -> None:
        """`notify` is called after a sweep that may have queued messages or made held ones
        due (e.g. the sender's `Delivery.notify`, so they go out at once)."""
        self._services = services
        self._notify = notify
        self._policy = reminder_policy(config)
        self._due_days = config.office.bill_due_days
        self._keep_sent = keep_sent_for(config.sending.keep_sent_days, self._policy)
        self._clock = clock
        self.scheduler = scheduler or AsyncIOScheduler(timezone=UTC)
        self._lock = asyncio.Lock()
        self._sweeping: asyncio.Task[object] | None = None

    async def start(self, *, catch_up: bool = True) -> None:
        """Catch up on what was due while the bot was down, then keep the job table."""
        if catch_up:
            await self.sweep()
            await self.prune()
        self.scheduler.start()
        await self.rebuild()
        for job, job_id, every in (
            (self._job, SAFETY_SWEEP_ID, SAFETY_SWEEP_EVERY),
            (self.prune, PRUNE_ID, PRUNE_EVERY),
        ):
            self.scheduler.add_job(
                job,
                IntervalTrigger(seconds=int(every.total_seconds()), timezone=UTC),
                id=job_id,
                replace_existing=True,
                misfire_grace_time=None,
                coalesce=True,
                max_instances=1,
            )

    async def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a callback on the loop
        try:  # let a sweep in progress finish, a little
            await asyncio.wait_for(self._lock.acquire(), SHUTDOWN_PATIENCE_SECONDS)
        except TimeoutError:  # a long close: stopped (its transaction rolls back)
            if self._sweeping is not None:
                self._sweeping.cancel()
            await self._lock.acquire()
        self._lock.release()

    async def sweep(self) -> SweepReport:
        """Run the three sweeps once, one sweep at a time in this process."""
        async with self._lock:
            self._sweeping = asyncio.current_task()
            try:
                now = self._clock()
                before = await self._deadlines()
                opened = await open_due_rounds(self._services, now)
                closes = await close_due_rounds_apart(self._services, now)  # in a child
                reminders = await send_due_reminders(self._services, now, self._policy)
                reminders += await remind_unpaid_bills(
                    self._services, now, self._due_days, self._policy.quiet
                )
                await updates.forget_updates_before(self._services.db, now - UPDATES_KEPT)
                reminders += await self._daily_chart(now)
                after = await self._deadlines()
            finally:
                self._sweeping = None
        extended = any(after.get(round_id, at) != at for round_id, at in before.items())
        report = SweepReport(len(opened), closes.rounds, reminders, extended, closes.held_bills)
        if self._notify is not None and (
            report.rounds_changed or report.reminders or report.held_bills
        ):
            self._notify()
        return report

    async def _daily_chart(self, now: datetime) -> int:
        """The group's daily chart; a chart that cannot be drawn is logged, the sweep goes
        on (and tries again at the next one)."""
        try:
            return await post_daily_chart(self._services, now, self._policy.quiet)
        except Exception:
            log.exception("the daily chart was not posted")
            return 0

    async def prune(self) -> int:
        """Delete the sent outbox rows older than `[sending] keep_sent_days`; how many."""
        async with self._lock:
            return await prune_sent_messages(self._services, self._clock(), self._keep_sent)

    async def _deadlines(self) -> dict[int, datetime]:
        found = await rounds.list_rounds(self._services.db, RoundStatus.OPEN)
        return {round_.id: round_.closes_at for round_ in found}

    async def _job(self) -> None:
        report = await self.sweep()
        if report.rounds_changed:
            await self.rebuild()

    async def rebuild(self) -> None:
        """Make the job table match the database: one job per future moment of a round.

        A job whose moment has passed but has not fired yet is kept (it fires late).
        """
        now = self._clock()
        wanted: dict[str, datetime] = {}
        for round_ in await rounds.list_rounds(self._services.db, RoundStatus.DRAFT):
            wanted[f"open:{round_.id}"] = round_.opens_at
        for round_ in await rounds.list_rounds(self._services.db, RoundStatus.OPEN):
            wanted.update(self._open_round_jobs(round_))
        for job in self.scheduler.get_jobs():
            if job.id.startswith(_ROUND_JOB_PREFIXES) and job.id not in wanted:
                job.remove()
        for job_id, at in wanted.items():
            if at <= now:
                continue  # past moments are the sweeps' business (catch-up, safety sweep)
            self.scheduler.add_job(
                self._job,
                DateTrigger(run_date=at, timezone=UTC),
                id=job_id,
                replace_existing=True,
                misfire_grace_time=None,
                coalesce=True,
            )
        log.debug("round jobs: %s", sorted(wanted))

    def _open_round_jobs(self, round_: Round) -> dict[str, datetime]:
        jobs = {f"close:{round_.id}": round_.closes_at}
        for offset, due in reminder_plan(round_, self._policy):
            jobs[f"remind:{round_.id}:{offset_minutes(offset)}"] = due
        return jobs
