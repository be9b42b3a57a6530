"""The sender: drains the outbox (`storage.outbox`) through each platform's transport.

Every due row is decoded back into a `Reply` (`handlers.outbox_codec`) and handed to the
transport of its platform, at most `per_second` messages per second overall (a token
bucket). The row is then marked: sent; retried later with exponential backoff when the
transport raises `TransientDeliveryError` (or anything unexpected); unreachable when it
raises `RecipientUnreachable` (blocked the bot, left the group, outside WhatsApp's window);
failed when it cannot be decoded, has no transport, or ran out of attempts.

`drain_once(now)` is one pass (tests call it with a fixed clock); `run(stop)` loops, waking
when `notify()` says new rows were queued or after `idle_seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from handlers.outbox_codec import decode_reply
from handlers.replies import Reply
from storage import outbox
from storage.database import Database
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)


class Transport(Protocol):
    async def deliver(self, chat_id: str, reply: Reply) -> None: ...


class TransientDeliveryError(Exception):
    """Try again later (network trouble, 5xx, 429); `retry_after` seconds when the API said."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RecipientUnreachable(Exception):
    """This chat will not take the message; do not try again."""


class TokenBucket:
    """At most `per_second` takes per second on average, bursts up to `per_second`."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._rate = per_second
        self._tokens = per_second
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()

    async def take(self) -> None:
        while True:
            now = self._clock()
            self._tokens = min(self._rate, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await self._sleep((1 - self._tokens) / self._rate)


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
        per_second: float,
        bucket: TokenBucket | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utc_now,
        batch_size: int = 100,
        idle_seconds: float = 5.0,
    ) -> None:
        self._db = db
        self._transports = dict(transports)
        self._bucket = bucket or TokenBucket(per_second)
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._wake = asyncio.Event()

    def notify(self) -> None:
        """New rows were queued: drain now instead of at the next idle timeout."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            result = await self.drain_once(self._clock())
            if result.handled < self._batch_size:
                await _first_of(self._wake, stop, seconds=self._idle_seconds)

    async def drain_once(self, now: datetime) -> DrainResult:
        result = DrainResult()
        for message in await outbox.due_messages(self._db, now, self._batch_size):
            await self._send(message, now, result)
        return result

    async def _send(self, message: OutboxMessage, now: datetime, result: DrainResult) -> None:
        transport = self._transports.get(message.platform)
        if transport is None:
            await self._fail(message, f"no transport for {message.platform}", result)
            return
        try:
            reply = decode_reply(message.payload)
        except ValueError as error:
            await self._fail(message, f"undecodable: {error}", result)
            return
        await self._bucket.take()
        try:
            await transport.deliver(message.chat_id, reply)
        except RecipientUnreachable as error:
            await outbox.mark_unreachable(self._db, message.id, str(error))
            result.unreachable += 1
        except TransientDeliveryError as error:
            await self._retry(message, now, str(error), error.retry_after, result)
        except Exception as error:
            log.exception("delivering outbox message %s failed", message.id)
            await self._retry(message, now, repr(error), None, result)
        else:
            await outbox.mark_sent(self._db, message.id, now)
            result.sent += 1

    async def _retry(
        self,
        message: OutboxMessage,
        now: datetime,
        error: str,
        retry_after: float | None,
        result: DrainResult,
    ) -> None:
        if message.attempts + 1 >= self._backoff.max_attempts:
            await self._fail(message, error, result)
            return
        delay = self._backoff.delay(message.attempts)
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        await outbox.mark_retry(self._db, message.id, now + delay, error)
        result.retried += 1

    async def _fail(self, message: OutboxMessage, error: str, result: DrainResult) -> None:
        log.warning("outbox message %s failed for good: %s", message.id, error)
        await outbox.mark_failed(self._db, message.id, error)
        result.failed += 1


async def _first_of(*events: asyncio.Event, seconds: float) -> None:
    """Wait until any of `events` is set, or `seconds` pass."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
