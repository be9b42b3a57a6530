"""Every message the sender takes from the outbox reaches its chat once, even when the
database is slow or locked at the wrong moment.

Two ways a message went out twice: a fetch read a reply as still pending, and before the
fetch ended the reply's send finished and was marked, so the fetch queued it again; and a
mark refused because a close in a child process held SQLite's write lock left a sent bill
pending, to be sent again at the next pass. The database is slowed or locked by a wrapper
around the storage function the sender calls; the sends are real sender code paths.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

import pytest

from bot.delivery.sender import MARK_ATTEMPTS, MARK_RETRY_SECONDS, Delivery
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, OutboxMessage
from tests.support.builders import NOW

P = ParamSpec("P")
T = TypeVar("T")
LOCKED = "database is locked"
TREASURERS = 6
BATCH = 4  # the sender looks for more when 2 are left to start


class Phone:
    """The treasurers' chats: every message that reached each; sends wait for `opened`."""

    def __init__(self) -> None:
        self.got: Counter[str] = Counter()
        self.opened = asyncio.Event()
        self.opened.set()

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        await self.opened.wait()
        self.got[chat_id] += 1
        return str(self.got.total())


class Clock:
    """The sender's monotonic clock and sleep: sleeping moves time on at once."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def queue_replies(db: Database, chats: int) -> list[int]:
    """One queued answer to each of `chats` treasurers (Telegram refused them for now)."""
    for n in range(chats):
        answer = Reply("announce_broadcast", {"text": f"Pesanan Anda {n}"}, "id")
        await outbox.enqueue(
            db, "telegram", str(4100 + n), "reply", encode_reply(answer), str(n), NOW
        )
    return [message.id for message in await outbox.due_messages(db, NOW)]


async def queue_bill(db: Database) -> int:
    bill = Reply("announce_broadcast", {"text": "Tagihan KOP01: Rp 1.250.000"}, "id")
    await outbox.enqueue(db, "telegram", "4100", "summary_bill", encode_reply(bill), "bill", NOW)
    [message] = await outbox.due_messages(db, NOW)
    return message.id


def fails_first(
    work: Callable[P, Awaitable[T]], times: int, error: Exception
) -> Callable[P, Awaitable[T]]:
    """`work`, but its first `times` calls raise `error` (the database is locked)."""
    calls = Counter[str]()

    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        calls["all"] += 1
        if calls["all"] <= times:
            raise error
        return await work(*args, **kwargs)

    return wrapped


async def test_a_reply_whose_send_ends_while_the_sender_reads_the_outbox_is_not_sent_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six answers wait. The sender takes four, starts two, and looks for more: it reads the
    due answers, then the rest of the outbox, which is slow today. Meanwhile the two answers
    in flight arrive and are marked sent. The sender must not queue them a second time."""
    await queue_replies(db, TREASURERS)
    phone = Phone()
    phone.opened.clear()  # the first answers are on their way while the sender reads
    delivery = Delivery(db, {"telegram": phone}, per_second=1000, batch_size=BATCH)
    due_messages = outbox.due_messages
    slowed: list[int] = []

    async def slow_due_messages(
        conn: Database, now: datetime, limit: int = 100
    ) -> list[OutboxMessage]:
        if delivery.in_flight and not slowed:
            slowed.append(delivery.in_flight)
            phone.opened.set()
            # A yield, not a wait: the sends in flight arrive and are marked meanwhile.
            while delivery.in_flight:  # noqa: ASYNC110
                await asyncio.sleep(0)
        return await due_messages(conn, now, limit)

    monkeypatch.setattr(outbox, "due_messages", slow_due_messages)

    result = await delivery.drain_once(NOW)

    assert slowed == [2]  # the race happened: two answers finished during the read
    assert result.sent == TREASURERS
    assert sorted(phone.got.values()) == [1] * TREASURERS


async def test_a_bill_whose_mark_meets_a_locked_database_is_marked_after_a_pause_and_sent_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round's close runs in a child process and holds the write lock while the sender
    delivers a bill: marking it sent is refused once. The sender pauses briefly and marks it;
    the next pass does not send the bill again."""
    bill = await queue_bill(db)
    phone, clock = Phone(), Clock()
    delivery = Delivery(
        db, {"telegram": phone}, per_second=30, monotonic=clock.monotonic, sleep=clock.sleep
    )
    monkeypatch.setattr(
        outbox, "mark_sent", fails_first(outbox.mark_sent, 1, sqlite3.OperationalError(LOCKED))
    )

    first = await delivery.drain_once(NOW)
    second = await delivery.drain_once(NOW)

    assert (first.sent, second.handled) == (1, 0)
    assert phone.got == {"4100": 1}
    assert clock.slept == [MARK_RETRY_SECONDS]
    message = await outbox.get_message(db, bill)
    assert message is not None and message.status is DeliveryStatus.SENT


async def test_a_bill_still_unmarked_after_every_try_is_not_sent_again_and_marked_later(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The lock outlasts every try: the bill stays pending in the outbox, the log says so,
    and this sender does not send it again; its next pass, the lock gone, marks it sent."""
    bill = await queue_bill(db)
    phone, clock = Phone(), Clock()
    delivery = Delivery(
        db, {"telegram": phone}, per_second=30, monotonic=clock.monotonic, sleep=clock.sleep
    )
    monkeypatch.setattr(
        outbox,
        "mark_sent",
        fails_first(outbox.mark_sent, MARK_ATTEMPTS + 1, sqlite3.OperationalError(LOCKED)),
    )

    first = await delivery.drain_once(NOW)  # every try refused
    message = await outbox.get_message(db, bill)
    assert message is not None and message.status is DeliveryStatus.PENDING
    assert f"outbox message {bill} was sent but could not be marked sent" in caplog.text
    second = await delivery.drain_once(NOW)  # one more refusal: still pending, not resent
    third = await delivery.drain_once(NOW)  # the lock is gone

    assert (first.sent, second.handled, third.handled) == (1, 0, 0)
    assert phone.got == {"4100": 1}
    assert len(clock.slept) == MARK_ATTEMPTS - 1
    message = await outbox.get_message(db, bill)
    assert message is not None and message.status is DeliveryStatus.SENT
