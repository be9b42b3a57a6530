"""The sender: drains the outbox (`storage.delivery.outbox`) through each platform's transport.

Due rows are decoded back into a `Reply` (`messages.outbox_codec`) and become jobs of a
`Dispatcher`, which sends them concurrently within each platform's `Limits` (overall rate,
spacing per chat, groups per minute). Each row is marked right after its own send:
sent (with the platform's message id); retried later with exponential backoff on a
`TransientDeliveryError` or anything unexpected (after a 429, at the time the platform
named, without counting an attempt); unreachable on `RecipientUnreachable`; failed when it
is rejected, cannot be decoded, has no transport, or ran out of attempts. A row is never
marked before it is sent, so a crash repeats at most the messages in flight; none is lost.

Rows are fetched in batches while the dispatcher runs low, so one pass streams a long
broadcast; on the live clock a pass also takes rows that fell due while it ran (a chat's
rows put back until its pace allows: they return in the chat's order), else they wait for
a later pass. Broadcast progress messages are
edited as rows finish (`bot.delivery.progress`), and the admins are told who did not get a
batch's message (`bot.delivery.notices`).

`drain_once(now)` sends what is due at `now` (tests pass a fixed time); `run(stop)` loops,
waking when `notify()` says rows were queued, when the next row is due, or after
`idle_seconds`. `pacer(platform)` is the platform's one limiter, shared with the direct
replies (`bot.delivery.pacing`). Setting `stop` ends a pass at once, however long the
backlog: no new send starts, those in flight finish and are marked (at most `stop_grace`,
5 s), the rest stays pending. Clocks and sleep are injected, so tests need no real waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.config import SendingConfig
from bot.delivery.dispatch import Dispatcher, Job
from bot.delivery.notices import UndeliveredNotices
from bot.delivery.pacing import Limits, Monotonic, Pacer, Sleep, TokenBucket, limits_from
from bot.delivery.progress import PROGRESS_KIND, ProgressReports
from bot.delivery.transport import (
    EditingTransport,
    MessageRejected,
    PacedTransport,
    RecipientUnreachable,
    TransientDeliveryError,
    Transport,
)
from messages.outbox_codec import decode_reply, file_request_of
from messages.replies import FileRequest, Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, OutboxMessage

__all__ = [
    "Backoff",
    "Delivery",
    "DrainResult",
    "EditingTransport",
    "Limits",
    "MessageRejected",
    "RecipientUnreachable",
    "TokenBucket",
    "TransientDeliveryError",
    "Transport",
    "configured_delivery",
]

log = logging.getLogger(__name__)

RoundFile = Callable[[FileRequest, str], Awaitable[Path]]
T = TypeVar("T")
# How long a stop waits for the sends in flight: well inside the 10 s systemd and the tests
# allow `belanja-bareng run` to exit (the chat transports stop in the same time).
STOP_GRACE_SECONDS = 5.0
REFETCH_SECONDS = 1.0  # a pass on the live clock looks again for rows that fell due
REPLY_KIND = "reply"  # a reply Telegram refused for now (`usecases.notices.posts.queue_replies`)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Wait `first * 2**attempts` (at most `longest`) before attempt number `attempts + 1`."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)
    max_attempts: int = 8

    def delay(self, attempts: int) -> timedelta:
        factor: int = 2 ** min(attempts, 20)
        return min(self.first * factor, self.longest)


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    failed: int = 0
    postponed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.unreachable + self.failed


def utc_now() -> datetime:
    return datetime.now(UTC)


class Delivery:
    def __init__(
        self,
        db: Database,
        transports: Mapping[str, Transport],
        *,
        per_second: float = 30.0,
        limits: Mapping[str, Limits] | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        batch_size: int = 100,
        idle_seconds: float = 5.0,
        workers: int = 8,
        stop_grace: float = STOP_GRACE_SECONDS,
        progress_every: float = 2.0,
        default_language: str = "id",
        round_files: RoundFile | None = None,
    ) -> None:
        """`limits` per platform (others: `per_second` overall, no other limit);
        `round_files` makes the file a queued summary asks to attach (`bot.documents`)."""
        self._db = db
        self._transports = dict(transports)
        self._limits = dict(limits or {})
        self._default_limits = Limits(per_second)
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._round_files = round_files
        self._pacers: dict[str, Pacer] = {}
        self._dispatcher = Dispatcher(
            self._pacer, clock=monotonic, sleep=sleep, workers=workers, grace_seconds=stop_grace
        )
        self._progress = ProgressReports(
            db, self._transports, self._dispatcher, monotonic, every=progress_every
        )
        self._notices = UndeliveredNotices(db, default_language)
        self._handling: set[int] = set()
        # Rows handed back to the outbox for later (their chat held by its pace or a 429), by
        # chat: id and when due again. A later row of that chat goes back behind them, so a
        # chat's messages keep their order (`_behind_put_back`).
        self._put_back: dict[tuple[str, str], dict[int, datetime]] = {}
        self._wake = asyncio.Event()
        for platform, transport in self._transports.items():
            if isinstance(transport, PacedTransport):
                transport.pace_with(self._pacer(platform))

    @property
    def in_flight(self) -> int:
        """How many sends and edits are under way right now."""
        return self._dispatcher.running

    def notify(self) -> None:
        """New rows were queued: drain now instead of at the next idle timeout."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Drain until `stop` is set. Then no new send starts, even in the middle of a long
        backlog: the sends in flight finish and are marked (at most `stop_grace` seconds) and
        every other row stays pending for the next start."""
        while not stop.is_set():
            self._wake.clear()
            try:
                drained = await _unless_stopped(self.drain_once(), stop)
                if drained is None:
                    return
                result = drained
                delay = await self._idle_delay()
            except Exception:
                log.exception("draining the outbox failed; trying again later")
                result, delay = DrainResult(), self._idle_seconds
            if result.handled == 0:
                delay = max(delay, min(1.0, self._idle_seconds))
            if delay > 0:
                await _first_of(self._wake, stop, timer=self._sleep(delay))

    async def drain_once(self, now: datetime | None = None) -> DrainResult:
        """Send every row due at `now` (None: due by the live clock as the pass goes on)."""
        result = DrainResult()
        await self._progress.resume()
        exhausted, fetched_at = False, self._monotonic()

        async def refill() -> None:
            # On the live clock, rows that fell due since (a chat's rows put back until its
            # pace allows) are looked for again at most every REFETCH_SECONDS.
            nonlocal exhausted, fetched_at
            again = now is None and self._monotonic() - fetched_at >= REFETCH_SECONDS
            if not exhausted or again:
                fetched_at = self._monotonic()
                exhausted = await self._fetch(now, result)

        try:
            await self._dispatcher.run(refill, low_water=self._batch_size // 2)
        except asyncio.CancelledError:
            self._handling.clear()  # what was queued stays pending in the outbox
            raise
        if await self._notices.flush(self._clock()):
            self.notify()
        return result

    async def _fetch(self, now: datetime | None, result: DrainResult) -> bool:
        """Queue the next due rows; True when no more rows are due."""
        limit = self._batch_size + len(self._handling)
        rows = await outbox.due_messages(self._db, now or self._clock(), limit)
        for row in rows:
            if row.id not in self._handling:
                await self._queue(row, result)
        return len(rows) < limit

    async def _queue(self, row: OutboxMessage, result: DrainResult) -> None:
        if await self._behind_put_back(row, result):
            return
        transport = self._transports.get(row.platform)
        if transport is None:
            await self._fail(row, f"no transport for {row.platform}", result)
            return
        try:
            reply = decode_reply(row.payload)
        except ValueError as error:
            await self._fail(row, f"undecodable: {error}", result)
            return
        self._handling.add(row.id)
        self._dispatcher.add(
            Job(
                row.platform,
                row.chat_id,
                run=partial(self._send, row, reply, transport, result),
                later=partial(self._postpone, row, result),
                urgent=row.kind == REPLY_KIND,
            )
        )

    async def _send(
        self, row: OutboxMessage, reply: Reply, transport: Transport, result: DrainResult
    ) -> float | None:
        try:
            try:
                sent_id = await transport.deliver(row.chat_id, await self._attach(row, reply))
            except RecipientUnreachable as error:
                await outbox.mark_unreachable(self._db, row.id, str(error))
                result.unreachable += 1
                self._finished(row, DeliveryStatus.UNREACHABLE)
            except MessageRejected as error:
                await self._fail(row, f"rejected: {error}", result)
            except TransientDeliveryError as error:
                await self._retry(row, str(error), error.retry_after, result)
                return error.retry_after
            except Exception as error:
                log.exception("delivering outbox message %s failed", row.id)
                await self._retry(row, repr(error), None, result)
            else:
                await outbox.mark_sent(self._db, row.id, self._clock(), sent_id)
                result.sent += 1
                if row.kind == PROGRESS_KIND:
                    await self._progress.started(row, sent_id)
                self._finished(row, DeliveryStatus.SENT)
            return None
        finally:
            self._handling.discard(row.id)

    async def _attach(self, row: OutboxMessage, reply: Reply) -> Reply:
        request = file_request_of(row.payload)
        if request is None:
            return reply
        if self._round_files is None:
            log.warning("outbox message %s asks for %s; no files are made here", row.id, request)
            return reply
        return replace(reply, attachment=await self._round_files(request, reply.language))

    async def _retry(
        self, row: OutboxMessage, error: str, retry_after: float | None, result: DrainResult
    ) -> None:
        now = self._clock()
        if retry_after is not None:
            next_at = self._put_back_until(row, now + timedelta(seconds=retry_after))
            await outbox.mark_retry(self._db, row.id, next_at, error, count_attempt=False)
        elif row.attempts + 1 >= self._backoff.max_attempts:
            await self._fail(row, error, result)
            return
        else:
            next_at = now + self._backoff.delay(row.attempts)
            await outbox.mark_retry(self._db, row.id, next_at, error)
        result.retried += 1

    async def _postpone(self, row: OutboxMessage, result: DrainResult, seconds: float) -> None:
        at = self._put_back_until(row, self._clock() + timedelta(seconds=seconds))
        await outbox.postpone(self._db, row.id, at)
        self._handling.discard(row.id)
        result.postponed += 1

    def _put_back_until(self, row: OutboxMessage, at: datetime) -> datetime:
        """When `row`, handed back to the outbox, is due again: `at`, but never before a row
        of its chat handed back earlier (so the outbox returns them in the chat's order)."""
        put_back = self._put_back.setdefault((row.platform, row.chat_id), {})
        at = max([at, *put_back.values()])
        put_back[row.id] = at
        return at

    async def _behind_put_back(self, row: OutboxMessage, result: DrainResult) -> bool:
        """Hand `row` back too when an earlier row of its chat is still back in the outbox
        (it would overtake it); True when it was."""
        key = (row.platform, row.chat_id)
        put_back = self._put_back.get(key)
        if put_back is None:
            return False
        put_back.pop(row.id, None)  # this one is back
        now = self._clock()
        for earlier in [id_ for id_, at in put_back.items() if id_ < row.id and at <= now]:
            # due but not back yet: still waiting in the outbox, or gone (another sender's)
            message = await outbox.get_message(self._db, earlier)
            if message is None or message.status is not DeliveryStatus.PENDING:
                del put_back[earlier]
        if not put_back:
            del self._put_back[key]
            return False
        if min(put_back) > row.id:
            return False
        await self._postpone(row, result, 0.0)
        return True

    async def _fail(self, row: OutboxMessage, error: str, result: DrainResult) -> None:
        log.warning("outbox message %s failed for good: %s", row.id, error)
        await outbox.mark_failed(self._db, row.id, error)
        result.failed += 1
        self._finished(row, DeliveryStatus.FAILED)

    def _finished(self, row: OutboxMessage, status: DeliveryStatus) -> None:
        self._progress.note(row, status)
        self._notices.touch(row)

    def pacer(self, platform: str) -> Pacer:
        """The one pacer of `platform`: pass it to whatever else sends there (the Telegram
        Application's direct replies), so both stay within the platform's limits together."""
        return self._pacer(platform)

    def _pacer(self, platform: str) -> Pacer:
        pacer = self._pacers.get(platform)
        if pacer is None:
            limits = self._limits.get(platform, self._default_limits)
            pacer = self._pacers[platform] = Pacer(limits, self._monotonic, self._sleep)
        return pacer

    async def _idle_delay(self) -> float:
        """Seconds until there is something to do, at most `idle_seconds`."""
        delay = self._idle_seconds
        next_due = await outbox.next_due_at(self._db)
        if next_due is not None:
            delay = min(delay, (next_due - self._clock()).total_seconds())
        edit_due = self._progress.due_in()
        if edit_due is not None:
            delay = min(delay, edit_due)
        return max(delay, 0.0)


def configured_delivery(
    db: Database,
    transports: Mapping[str, Transport],
    sending: SendingConfig,
    *,
    default_language: str = "id",
    round_files: RoundFile | None = None,
) -> Delivery:
    """The sender with the limits and attempts `config.sending` asks for."""
    return Delivery(
        db,
        transports,
        limits=limits_from(sending),
        backoff=Backoff(max_attempts=sending.max_attempts),
        default_language=default_language,
        round_files=round_files,
    )


async def _unless_stopped(work: Awaitable[T], stop: asyncio.Event) -> T | None:
    """`work`'s result; None when `stop` was set first: then `work` is cancelled and waited
    for (a drain cancelled lets its sends in flight finish, within its grace)."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((task, stopped), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))
    return None if task.cancelled() else task.result()


async def _first_of(*events: asyncio.Event, timer: Awaitable[None]) -> None:
    """Wait until any of `events` is set, or `timer` ends."""
    waiters: list[asyncio.Future[object]] = [asyncio.ensure_future(e.wait()) for e in events]
    waiters.append(asyncio.ensure_future(timer))
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
