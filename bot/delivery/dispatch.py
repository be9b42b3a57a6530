"""Running the sender's jobs concurrently, each chat in order and within its pace.

A `Job` is one call to a platform for one chat (send an outbox row, edit a progress
message). The `Dispatcher` keeps a queue per chat and starts the first job of any chat that
may get a message now (its `Pacer` says so, nothing else for that chat is in flight, and
the job's `not_before` has passed), after taking a token from its platform's overall
bucket, on one of at most `workers` concurrent tasks. So messages to different chats
overlap their network round trips while each chat keeps its order and spacing. The pacer is
shared with the direct replies to updates (`Pacer.acquire`): a queued reply (`Job.urgent`)
and those direct replies get the overall tokens before announcements do, a queued reply's
chat is looked at first, and a chat a direct reply has taken or waits for is left for its
next turn (the token already taken goes to the next job meanwhile).

A job whose chat stays closed longer than `max_wait` is handed back (`Job.later`) instead
of holding up the rest, and so are the jobs queued behind one that made the platform ask
for a pause, so a chat's messages keep their order. `run()` returns when no job is queued
or running; `refill` is called when the queue runs low, so one run can stream a long
broadcast, and at once when `poke`d (a reply was queued: it need not wait for the queue).

Cancelling `run()` stops starting jobs but lets those in flight finish (at most
`grace_seconds`), so a stop repeats nothing that had already been sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.delivery.pacing import Monotonic, Pacer, Sleep

log = logging.getLogger(__name__)

ChatKey = tuple[str, str]


@dataclass(eq=False)
class Job:
    """`run` returns how many seconds the chat must rest afterwards (a 429), or None."""

    platform: str
    chat_id: str
    run: Callable[[], Awaitable[float | None]]
    later: Callable[[float], Awaitable[None]]  # given the seconds until the chat opens
    not_before: float = 0.0
    first: bool = False  # looked at before other chats' jobs (a progress edit)
    urgent: bool = False  # a reply: takes an overall token before announcements do


class Dispatcher:
    def __init__(
        self,
        pacer_for: Callable[[str], Pacer],
        *,
        clock: Monotonic,
        sleep: Sleep,
        workers: int = 8,
        max_wait: float = 3.0,
        grace_seconds: float = 10.0,
    ) -> None:
        self._pacer_for = pacer_for
        self._clock = clock
        self._sleep = sleep
        self._workers = workers
        self._max_wait = max_wait
        self._grace = grace_seconds
        self._queues: OrderedDict[ChatKey, deque[Job]] = OrderedDict()
        self._busy: set[ChatKey] = set()
        self._running: set[asyncio.Task[None]] = set()
        self._finished = asyncio.Event()
        self._poked = False
        self._spare: dict[str, int] = {}  # overall tokens taken by a job that had to wait
        self.queued = 0

    @property
    def running(self) -> int:
        """How many jobs are in flight."""
        return len(self._running)

    def add(self, job: Job) -> None:
        key = (job.platform, job.chat_id)
        self._queues.setdefault(key, deque()).append(job)
        if job.first or job.urgent:
            self._queues.move_to_end(key, last=False)
        self.queued += 1
        self._finished.set()

    def poke(self) -> None:
        """Call `refill` at the next turn even though the queue is not low (rows were
        queued that may go ahead of it: a reply)."""
        self._poked = True
        self._finished.set()

    async def run(
        self, refill: Callable[[], Awaitable[None]] | None = None, low_water: int = 0
    ) -> None:
        try:
            while True:
                self._finished.clear()
                if refill is not None and (self.queued <= low_water or self._poked):
                    self._poked = False
                    await refill()
                job, wait, stale = self._scan(self._clock())
                for closed, seconds in stale:
                    await closed.later(seconds)
                if job is not None and len(self._running) < self._workers:
                    await self._start(job)
                elif job is None and wait is None and not self._running:
                    if not stale:
                        return
                else:
                    await self._wait(None if job is not None else wait)
        except asyncio.CancelledError:
            self._queues.clear()
            self.queued = 0
            if self._running:
                await asyncio.wait(set(self._running), timeout=self._grace)
            raise

    def _scan(self, now: float) -> tuple[Job | None, float | None, list[tuple[Job, float]]]:
        """The first job that may start now; else the shortest wait; and jobs to hand back."""
        shortest: float | None = None
        stale: list[tuple[Job, float]] = []
        for key, queue in list(self._queues.items()):
            if key in self._busy:
                continue
            pacer = self._pacer_for(key[0])
            while queue:
                job = queue[0]
                wait = max(pacer.wait(job.chat_id, now, urgent=job.urgent), job.not_before - now)
                if wait <= 0:
                    return job, None, stale
                if wait <= self._max_wait:
                    shortest = wait if shortest is None else min(shortest, wait)
                    break
                self._pop(key)
                stale.append((job, wait))
        return None, shortest, stale

    def _pop(self, key: ChatKey) -> Job:
        queue = self._queues[key]
        job = queue.popleft()
        if not queue:
            del self._queues[key]
        self.queued -= 1
        return job

    async def _start(self, job: Job) -> None:
        key = (job.platform, job.chat_id)
        self._pop(key)
        self._busy.add(key)
        pacer = self._pacer_for(job.platform)
        try:
            if self._spare.get(job.platform):
                self._spare[job.platform] -= 1
            else:
                await pacer.bucket.take(urgent=job.urgent)
            # A direct reply may have taken this chat, or be waiting for it, while we waited
            # for the token (or Telegram asked to leave it alone): the job waits its turn
            # again (at once handed back when that is far) and the token goes to the next job,
            # so the other chats are not held up meanwhile.
            wait = pacer.wait(job.chat_id, self._clock(), urgent=job.urgent)
            if wait > 0:
                self._spare[job.platform] = self._spare.get(job.platform, 0) + 1
                self._busy.discard(key)
                if wait > self._max_wait:
                    await job.later(wait)
                else:
                    self._queues.setdefault(key, deque()).appendleft(job)
                    if job.first or job.urgent:  # its chat is looked at first again (`add`)
                        self._queues.move_to_end(key, last=False)
                    self.queued += 1
                return
        except BaseException:
            self._busy.discard(key)
            raise
        pacer.sent(job.chat_id, self._clock())
        task = asyncio.create_task(self._work(job, key, pacer))
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._finished.set()

    async def _work(self, job: Job, key: ChatKey, pacer: Pacer) -> None:
        try:
            rest = await job.run()
            if rest:
                pacer.hold(job.chat_id, self._clock() + rest)
                await self._hand_back(key, rest)
        except Exception:
            log.exception("delivery job for %s:%s failed", job.platform, job.chat_id)
        finally:
            self._busy.discard(key)

    async def _hand_back(self, key: ChatKey, seconds: float) -> None:
        """The chat is held: its queued jobs go back too, so they keep their order."""
        while key in self._queues:
            await self._pop(key).later(seconds)

    async def _wait(self, seconds: float | None) -> None:
        """Until a job finishes or is added, or `seconds` pass (None: no time limit)."""
        waiters: list[asyncio.Future[object]] = [asyncio.ensure_future(self._finished.wait())]
        if seconds is not None:
            waiters.append(asyncio.ensure_future(self._sleep(seconds)))
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            for waiter in waiters:
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter
