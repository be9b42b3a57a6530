"""A pacer's story on a clock that moves only when everyone waits, and the chat it reaches."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import datetime

from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox


class EventClock:
    """Time moves to the next sleeper's wake-up once nothing else can run."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), woken))
        await woken

    async def run(self, story: asyncio.Task[object]) -> None:
        while not story.done():
            for _ in range(50):  # let everything that can run now run
                await asyncio.sleep(0)
            while self._sleepers:
                at, _, woken = heapq.heappop(self._sleepers)
                if not woken.done():
                    self.now = max(self.now, at)
                    woken.set_result(None)
                    break
        await story


class SitisChat:
    """The outside world for the sender: what reached Siti's chat (`got`, a list it may
    share with the test), and when; `first_bill` is set once the first message arrived."""

    def __init__(self, clock: EventClock, got: list[tuple[str, float]] | None = None) -> None:
        self.clock = clock
        self.got: list[tuple[str, float]] = [] if got is None else got
        self.first_bill = asyncio.Event()

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        self.got.append((str(reply.context["text"]), self.clock.now))
        self.first_bill.set()
        return str(len(self.got))


async def queue_bill_parts(db: Database, chat_id: str, parts: int, at: datetime) -> None:
    """A long bill for `chat_id` in the outbox, due at `at`: messages "bill 1" … "bill N"."""
    for part in range(1, parts + 1):
        bill = Reply("announce_broadcast", {"text": f"bill {part}"}, "id")
        await outbox.enqueue(
            db, "telegram", chat_id, "summary_bill", encode_reply(bill), str(part), at
        )
