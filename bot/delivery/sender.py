"""The sender: drains the outbox (`storage.delivery.outbox`) through each platform's transport.

Due rows are decoded back into a `Reply` (`messages.outbox_codec`) and become jobs of a
`Dispatcher`, which sends them concurrently within each platform's `Limits` (overall rate,
spacing per chat, groups per minute). Each row is marked right after its own send:
sent (with the platform's message id); retried later with exponential backoff on a
`TransientDeliveryError` or anything unexpected (after a 429, at the time the platform
named, without counting an attempt); unreachable on `RecipientUnreachable`; failed when it
is rejected, cannot be decoded, has no transport, or ran out of attempts. A row is never
marked before it is sent, so a crash repeats at most the messages in flight; none is lost.
A mark refused because another process holds SQLite's write lock (a close running in a
child process) is tried again a few times (`MARK_ATTEMPTS`); a row sent but still not
marked is logged and kept in mind: never queued again by this process, and marked at the
next passes (only a restart before then sends it once more).

Rows are fetched in batches while the dispatcher runs low, so one pass streams a long
broadcast; on the live clock a pass also takes rows that fell due while it ran (a chat's
rows put back until its pace allows: they return in the chat's order), else they wait for
a later pass. Replies (`REPLY_KINDS`) are fetched ahead of the rest, and one queued during a
pass (`notify`) is fetched at once, so it never waits behind a backlog of bills or
announcements. A fetch queues only rows the sender is not handling and that did not leave
its hands while the fetch read them (`_left_during_fetch`): a query may have read a row
as pending just before its send finished and was marked. Broadcast progress messages are
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
import sqlite3
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
# Marking a row sent while another process holds SQLite's write lock for longer than its
# busy timeout (`storage.database`): tries in all, and the wait before the second (doubled
# each time: 0.25 + 0.5 + 1 s).
MARK_ATTEMPTS = 4
MARK_RETRY_SECONDS = 0.25
REPLY_KIND = "reply"  # a reply Telegram refused for now (`usecases.notices.posts.queue_replies`)
# Replies to the person writing (WhatsApp's all go through the outbox: `bot.whatsapp.adapter`):
# fetched and sent ahead of announcements, however long their backlog.
REPLY_KINDS = (REPLY_KIND, "whatsapp_reply")
ChatKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Wait `first * 2**attempts` (at most `longest`) before attempt number `attempts + 1`;
    after `max_attempts` tries that all met temporary errors the message fails."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)
    max_attempts: int = SendingConfig.max_attempts

    def delay(self, attempts: int) -> timedelta:
        factor: int = 2 ** min(attempts, 20)
        return min(self.first * factor, self.longest)

    def gives_up_after(self) -> timedelta:
        """How long after its first try a message that only meets temporary errors is tried
        for the last time (then it fails): 24 h 3.5 min with the default 31 tries."""
        return sum((self.delay(n) for n in range(self.max_attempts - 1)), timedelta(0))


@dataclass
class _PutBack:
    """One chat's rows handed back to the outbox: id → when due again, and the latest."""

    latest: datetime
    due: dict[int, datetime]


@dataclass(frozen=True, slots=True)
class _Unmarked:
    """A row that was sent but could not be marked sent yet."""

    row: OutboxMessage
    sent_at: datetime
    sent_id: str | None


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
        # Rows that left `_handling` (finished, handed back) since the current fetch began:
        # its queries may have read them as still pending.
        self._left_during_fetch: set[int] = set()
        self._unmarked: dict[int, _Unmarked] = {}  # sent, not yet marked (a locked database)
        # Rows handed back to the outbox for later (their chat held by its pace or a 429), by
        # chat: id and when due again. A later row of that chat goes back behind them, so a
        # chat's messages keep their order (`_queue_rows`).
        self._put_back: dict[ChatKey, _PutBack] = {}
        self._wake = asyncio.Event()
        self._new_replies = False  # rows were queued during a pass: look for replies among them
        self._replies_after = 0  # ... queued after this row
        for platform, transport in self._transports.items():
            if isinstance(transport, PacedTransport):
                transport.pace_with(self._pacer(platform))

    @property
    def in_flight(self) -> int:
        """How many sends and edits are under way right now."""
        return self._dispatcher.running

    @property
    def chats_held_back(self) -> int:
        """How many chats have rows handed back to the outbox until their turn comes."""
        return len(self._put_back)

    def notify(self) -> None:
        """New rows were queued: drain now instead of at the next idle timeout; during a pass,
        a reply among them goes ahead of the rows already waiting."""
        self._wake.set()
        self._new_replies = True
        self._dispatcher.poke()

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
        await self._mark_unmarked()
        await self._progress.resume()
        exhausted, fetched_at = False, self._monotonic()
        low_water = self._batch_size // 2
        if self._replies_after == 0:
            _, self._replies_after = await outbox.queued_after(self._db, 0, (), self._clock(), 0)
        self._new_replies = False  # the first fetch sees them

        async def refill() -> None:
            # Replies queued since the last look go ahead of the queue however long it is
            # (the dispatcher calls this when `notify` pokes it). On the live clock, rows that
            # fell due since (a chat's rows put back until its pace allows) are looked for
            # again at most every REFETCH_SECONDS.
            nonlocal exhausted, fetched_at
            at = now or self._clock()
            low = self._dispatcher.queued <= low_water
            if self._new_replies:
                self._new_replies = False
                await self._fetch_new_replies(at, result)
            again = now is None and self._monotonic() - fetched_at >= REFETCH_SECONDS
            if low and (not exhausted or again):
                fetched_at = self._monotonic()
                exhausted = await self._fetch(at, result)

        try:
            await self._dispatcher.run(refill, low_water=low_water)
        except asyncio.CancelledError:
            self._handling.clear()  # what was queued stays pending in the outbox
            raise
        await self._forget_put_back(now or self._clock())
        if await self._notices.flush(self._clock()):
            self.notify()
        return result

    async def _fetch(self, at: datetime, result: DrainResult) -> bool:
        """Queue the due replies, then the next due rows; True when no more rows are due."""
        self._left_during_fetch.clear()
        limit = self._batch_size + len(self._handling)
        replies = await outbox.due_of_kinds(self._db, REPLY_KINDS, at, self._batch_size)
        rows = await outbox.due_messages(self._db, at, limit)
        taken = {row.id for row in replies}
        await self._queue_rows(
            [*replies, *(row for row in rows if row.id not in taken)], at, result
        )
        return len(rows) < limit

    async def _fetch_new_replies(self, at: datetime, result: DrainResult) -> None:
        """Queue the due replies queued since the last look (a range of ids: cheap)."""
        self._left_during_fetch.clear()
        replies, newest = await outbox.queued_after(
            self._db, self._replies_after, REPLY_KINDS, at, self._batch_size
        )
        # More than a batch: the rest are looked for from the last one taken.
        self._replies_after = replies[-1].id if len(replies) == self._batch_size else newest
        await self._queue_rows(replies, at, result)

    async def _queue_rows(
        self, rows: list[OutboxMessage], at: datetime, result: DrainResult
    ) -> None:
        """Queue `rows` (fetched due at `at`), each chat's in the order they were queued; a row
        whose chat has an earlier row still back in the outbox goes back behind it. Skipped:
        the rows being handled, those that left our hands while the fetch read them (sent or
        handed back meanwhile: the read is already out of date for them), those sent but
        not yet marked."""
        by_chat: dict[ChatKey, list[OutboxMessage]] = {}
        for row in rows:
            if (
                row.id not in self._handling
                and row.id not in self._left_during_fetch
                and row.id not in self._unmarked
            ):
                by_chat.setdefault((row.platform, row.chat_id), []).append(row)
        await self._settle_put_back(by_chat, at)
        for key, chat_rows in by_chat.items():
            put_back = self._put_back.get(key)
            first_back = min(put_back.due) if put_back is not None and put_back.due else None
            for row in sorted(chat_rows, key=lambda row: row.id):
                if first_back is not None and first_back < row.id:
                    await self._postpone(row, result, 0.0)  # behind the earlier one
                else:
                    await self._queue(row, result)

    async def _settle_put_back(
        self, by_chat: dict[ChatKey, list[OutboxMessage]], at: datetime
    ) -> None:
        """The rows fetched are back; of the others handed back and due by `at` but not
        fetched, those no longer pending are gone (sent, failed): forgotten. One query."""
        due: list[int] = []
        for key, chat_rows in by_chat.items():
            put_back = self._put_back.get(key)
            if put_back is not None:
                for row in chat_rows:
                    put_back.due.pop(row.id, None)
                due.extend(id_ for id_, when in put_back.due.items() if when <= at)
        await self._forget_gone(due, by_chat)

    async def _forget_put_back(self, at: datetime) -> None:
        """After a pass: forget the rows handed back, due by `at`, that are gone (another
        process sent them, they failed): a chat that gets nothing more keeps no entry."""
        due = [
            id_
            for put_back in self._put_back.values()
            for id_, when in put_back.due.items()
            if when <= at
        ]
        await self._forget_gone(due, self._put_back)

    async def _forget_gone(self, due: list[int], chats: Mapping[ChatKey, object]) -> None:
        pending = await outbox.pending_among(self._db, due) if due else set()
        gone = set(due) - pending
        for key in list(chats):
            put_back = self._put_back.get(key)
            if put_back is None:
                continue
            for id_ in gone.intersection(put_back.due):
                del put_back.due[id_]
            if not put_back.due:
                del self._put_back[key]

    async def _queue(self, row: OutboxMessage, result: DrainResult) -> None:
        transport = self._transports.get(row.platform)
        if transport is None:
            await self._fail(row, f"no transport for {row.platform}", result)
            return
        try:
            reply = decode_reply(row.payload)
        except ValueError as error:
            await self._fail(row, f"undecodable: {error}", result)
            return
        urgent = row.kind in REPLY_KINDS
        if urgent:
            # Until it is delivered, the chat's next direct replies queue behind it, whatever
            # made the bot queue this one (a 429, a timeout, the network).
            self._pacer(row.platform).replies_queued(row.chat_id)
        self._handling.add(row.id)
        self._dispatcher.add(
            Job(
                row.platform,
                row.chat_id,
                run=partial(self._send, row, reply, transport, result),
                later=partial(self._postpone, row, result),
                urgent=urgent,
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
                await self._finished(row, DeliveryStatus.UNREACHABLE)
            except MessageRejected as error:
                await self._fail(row, f"rejected: {error}", result)
            except TransientDeliveryError as error:
                await self._retry(row, str(error), error.retry_after, result)
                return error.retry_after
            except Exception as error:
                log.exception("delivering outbox message %s failed", row.id)
                await self._retry(row, repr(error), None, result)
            else:
                await self._mark_sent(row, sent_id)
                result.sent += 1
                if row.kind == PROGRESS_KIND:
                    await self._progress.started(row, sent_id)
                await self._finished(row, DeliveryStatus.SENT)
            return None
        finally:
            self._let_go(row.id)

    def _let_go(self, row_id: int) -> None:
        """The sender no longer handles `row_id` (a fetch under way does not queue it)."""
        self._handling.discard(row_id)
        self._left_during_fetch.add(row_id)

    async def _mark_sent(self, row: OutboxMessage, sent_id: str | None) -> None:
        """Mark `row` sent, trying again while another process holds the write lock; if that
        lasts, keep it in mind as sent (`_unmarked`) rather than send it again."""
        sent_at = self._clock()
        pause = MARK_RETRY_SECONDS
        for attempt in range(1, MARK_ATTEMPTS + 1):
            try:
                await outbox.mark_sent(self._db, row.id, sent_at, sent_id)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == MARK_ATTEMPTS:
                    log.error(
                        "outbox message %s was sent but could not be marked sent (%s); this "
                        "process will not send it again and marks it at its next passes (a "
                        "restart before then sends it once more)",
                        row.id,
                        error,
                    )
                    self._unmarked[row.id] = _Unmarked(row, sent_at, sent_id)
                    return
                log.warning("outbox message %s: marking it sent: %s; trying again", row.id, error)
            await self._sleep(pause)
            pause *= 2

    async def _mark_unmarked(self) -> None:
        """Mark the rows sent whose mark failed earlier (one try each: the next pass tries
        again)."""
        for id_, unmarked in list(self._unmarked.items()):
            try:
                await outbox.mark_sent(self._db, id_, unmarked.sent_at, unmarked.sent_id)
            except sqlite3.OperationalError as error:
                log.warning("outbox message %s is still not marked sent: %s", id_, error)
                return
            del self._unmarked[id_]
            log.info("outbox message %s is marked sent at last", id_)
            if unmarked.row.kind in REPLY_KINDS:
                await self._replies_done(unmarked.row)

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
        try:
            await outbox.postpone(self._db, row.id, at)
        finally:
            self._let_go(row.id)
        result.postponed += 1

    def _put_back_until(self, row: OutboxMessage, at: datetime) -> datetime:
        """When `row`, handed back to the outbox, is due again: `at`, but never before a row
        of its chat handed back earlier (so the outbox returns them in the chat's order)."""
        key = (row.platform, row.chat_id)
        put_back = self._put_back.get(key)
        if put_back is None:
            put_back = self._put_back[key] = _PutBack(at, {})
        at = put_back.latest = max(at, put_back.latest)
        put_back.due[row.id] = at
        return at

    async def _fail(self, row: OutboxMessage, error: str, result: DrainResult) -> None:
        log.warning("outbox message %s failed for good: %s", row.id, error)
        await outbox.mark_failed(self._db, row.id, error)
        result.failed += 1
        await self._finished(row, DeliveryStatus.FAILED)

    async def _finished(self, row: OutboxMessage, status: DeliveryStatus) -> None:
        self._progress.note(row, status)
        self._notices.touch(row)
        if row.kind in REPLY_KINDS:
            await self._replies_done(row)

    async def _replies_done(self, row: OutboxMessage) -> None:
        """A queued reply is done: when its chat has no other left in the outbox, the
        chat's next replies may go direct again (`Pacer.replies_delivered`)."""
        pacer = self._pacers.get(row.platform)
        mark = None if pacer is None else pacer.queued_replies_mark(row.chat_id)
        if pacer is None or mark is None:
            return
        if not await outbox.has_pending_of_kinds(self._db, row.platform, row.chat_id, REPLY_KINDS):
            pacer.replies_delivered(row.chat_id, mark)

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
