"""The sender drains the outbox through the platforms' transports, paced and retried."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import SendingConfig
from bot.delivery.sender import (
    Backoff,
    Delivery,
    Limits,
    MessageRejected,
    RecipientUnreachable,
    TransientDeliveryError,
)
from messages.outbox_codec import encode_reply
from messages.replies import Option, Reply
from storage.database import Database, open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support.builders import NOW
from tests.support.fixtures.delivery import VirtualTime

FIRST_RETRY = timedelta(seconds=30)


class FakeTransport:
    """The outside world: records what it was given; `failures` are raised once each, in order."""

    def __init__(self, failures: dict[str, list[Exception]] | None = None) -> None:
        self.delivered: list[tuple[str, Reply]] = []
        self.failures = failures or {}
        self.got_one = asyncio.Event()

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        pending = self.failures.get(chat_id)
        if pending:
            raise pending.pop(0)
        self.delivered.append((chat_id, reply))
        self.got_one.set()
        return str(len(self.delivered))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(tmp_path / "outbox.sqlite3") as database:
        yield database


def _reply(text: str) -> Reply:
    button = Option("buttons/announce_catalog", payload="k:1:0")
    return Reply(
        "announce_round_opened", {"round_name": text, "closes_at": NOW}, "id", ((button,),)
    )


async def _queue(db: Database, chat_id: str, platform: str = "telegram") -> int:
    await outbox.enqueue(
        db, platform, chat_id, "test", encode_reply(_reply(chat_id)), f"t:{chat_id}", NOW
    )
    [message] = [m for m in await outbox.due_messages(db, NOW) if m.chat_id == chat_id]
    return message.id


async def _status(db: Database, message_id: int) -> tuple[DeliveryStatus, int]:
    message = await outbox.get_message(db, message_id)
    assert message is not None
    return message.status, message.attempts


async def test_drain_sends_due_rows_retries_a_transient_failure_later_marks_unreachable(
    db: Database,
) -> None:
    fake = FakeTransport(
        {"200": [TransientDeliveryError("timeout")], "300": [RecipientUnreachable("blocked")]}
    )
    delivery = Delivery(db, {"telegram": fake}, per_second=30, clock=lambda: NOW)
    ok, flaky, gone = await _queue(db, "100"), await _queue(db, "200"), await _queue(db, "300")

    first = await delivery.drain_once(NOW)

    assert (first.sent, first.retried, first.unreachable) == (1, 1, 1)
    assert [chat for chat, _ in fake.delivered] == ["100"]
    assert fake.delivered[0][1] == _reply("100")
    assert await _status(db, ok) == (DeliveryStatus.SENT, 1)
    assert await _status(db, flaky) == (DeliveryStatus.PENDING, 1)
    assert await _status(db, gone) == (DeliveryStatus.UNREACHABLE, 1)

    too_soon = await delivery.drain_once(NOW + FIRST_RETRY - timedelta(seconds=1))
    assert too_soon.handled == 0

    later = await delivery.drain_once(NOW + FIRST_RETRY)
    assert later.sent == 1
    assert [chat for chat, _ in fake.delivered] == ["100", "200"]
    assert await _status(db, flaky) == (DeliveryStatus.SENT, 2)


async def test_a_message_that_keeps_failing_gives_up_after_max_attempts(db: Database) -> None:
    fake = FakeTransport({"100": [TransientDeliveryError("down")] * 5})
    clock = [NOW]
    delivery = Delivery(
        db, {"telegram": fake}, backoff=Backoff(max_attempts=3), clock=lambda: clock[0]
    )
    message_id = await _queue(db, "100")

    for minutes in (0, 10, 20):
        clock[0] = NOW + timedelta(minutes=minutes)
        await delivery.drain_once(clock[0])

    assert await _status(db, message_id) == (DeliveryStatus.FAILED, 3)
    assert fake.delivered == []


async def test_with_the_default_settings_a_message_outlives_a_day_of_network_errors(
    db: Database,
) -> None:
    down = TransientDeliveryError("timeout")
    fake = FakeTransport({"100": [down] * 30, "200": [down] * 31})  # back on the 31st try, or not
    clock = [NOW]
    attempts = SendingConfig().max_attempts  # as `configured_delivery` reads the config
    backoff = Backoff(max_attempts=attempts)
    paced = VirtualTime()  # the overall rate's waits take no time
    delivery = Delivery(
        db, {"telegram": fake}, backoff=backoff, clock=lambda: clock[0],
        monotonic=paced.monotonic, sleep=paced.sleep,
    )  # fmt: skip
    late, lost = await _queue(db, "100"), await _queue(db, "200")

    while due := await outbox.next_due_at(db):  # the sender wakes when the next try is due
        clock[0] = due
        await delivery.drain_once(due)

    day = timedelta(hours=24, minutes=3, seconds=30)  # 30 s, 60 s, 2 min ... then hourly
    assert await _status(db, late) == (DeliveryStatus.SENT, 31)
    assert fake.delivered == [("100", _reply("100"))]
    assert clock[0] == NOW + day and backoff.gives_up_after() == day
    assert await _status(db, lost) == (DeliveryStatus.FAILED, 31)  # admins are told


async def test_with_the_default_settings_a_refused_message_fails_at_once(db: Database) -> None:
    fake = FakeTransport(
        {
            "200": [MessageRejected("400 message is too long")],
            "300": [RecipientUnreachable("blocked")],
        }
    )
    backoff = Backoff(max_attempts=SendingConfig().max_attempts)
    delivery = Delivery(db, {"telegram": fake}, backoff=backoff, clock=lambda: NOW)
    refused, blocked = await _queue(db, "200"), await _queue(db, "300")

    await delivery.drain_once(NOW)

    assert await _status(db, refused) == (DeliveryStatus.FAILED, 1)
    assert await _status(db, blocked) == (DeliveryStatus.UNREACHABLE, 1)
    assert await outbox.next_due_at(db) is None  # neither is tried again


async def test_retry_after_from_the_platform_is_respected(db: Database) -> None:
    fake = FakeTransport({"100": [TransientDeliveryError("429", retry_after=600)]})
    delivery = Delivery(db, {"telegram": fake}, per_second=30, clock=lambda: NOW)
    message_id = await _queue(db, "100")

    await delivery.drain_once(NOW)

    message = await outbox.get_message(db, message_id)
    assert message is not None and message.next_attempt_at == NOW + timedelta(seconds=600)
    assert message.attempts == 0  # slowing down is not a failed attempt


async def test_a_row_for_a_platform_without_transport_fails_and_others_still_go(
    db: Database,
) -> None:
    fake = FakeTransport()
    delivery = Delivery(db, {"telegram": fake}, per_second=30, clock=lambda: NOW)
    lost = await _queue(db, "628100", platform="whatsapp")
    await _queue(db, "100")

    result = await delivery.drain_once(NOW)

    assert (result.sent, result.failed) == (1, 1)
    assert (await _status(db, lost))[0] is DeliveryStatus.FAILED


async def test_pacing_sends_at_most_per_second_messages(db: Database) -> None:
    clock = [0.0]

    async def fake_sleep(seconds: float) -> None:
        clock[0] += seconds

    fake = FakeTransport()
    delivery = Delivery(
        db, {"telegram": fake}, per_second=2, monotonic=lambda: clock[0], sleep=fake_sleep
    )
    for chat in ("1", "2", "3", "4", "5"):
        await _queue(db, chat)

    result = await delivery.drain_once(NOW)

    assert result.sent == 5
    assert clock[0] == pytest.approx(1.5)  # 2 at once, then one every half second


async def test_a_pass_on_the_live_clock_also_sends_a_row_that_fell_due_while_it_ran(
    db: Database,
) -> None:
    time = VirtualTime()
    fake = FakeTransport()
    paced = Limits(per_second=30, per_chat_seconds=1.0)
    delivery = Delivery(
        db,
        {"telegram": fake},
        limits={"telegram": paced},
        clock=time.now,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    time.watch(delivery)
    for n in range(4):  # one chat's four messages, a second apart: the pass takes 3 s
        payload = encode_reply(_reply(f"a{n}"))
        await outbox.enqueue(db, "telegram", "100", "test", payload, f"a:{n}", NOW)
    later = encode_reply(_reply("later"))
    await outbox.enqueue(db, "telegram", "200", "test", later, "b", NOW + timedelta(seconds=2))

    result = await delivery.drain_once()

    assert result.sent == 5
    assert [chat for chat, _ in fake.delivered] == ["100", "100", "100", "200", "100"]


async def test_run_wakes_when_told_new_rows_were_queued_and_stops(db: Database) -> None:
    fake = FakeTransport()
    delivery = Delivery(db, {"telegram": fake}, per_second=30, clock=lambda: NOW, idle_seconds=60)
    stop = asyncio.Event()
    running = asyncio.create_task(delivery.run(stop))

    await _queue(db, "100")
    delivery.notify()
    await asyncio.wait_for(fake.got_one.wait(), timeout=5)
    stop.set()
    await asyncio.wait_for(running, timeout=5)

    assert [chat for chat, _ in fake.delivered] == ["100"]


class GatedTransport:
    """Holds every delivery until `release`; notes how many were out at once, per chat too."""

    def __init__(self, wanted_at_once: int) -> None:
        self.out: Counter[str] = Counter()
        self.most_at_once = 0
        self.most_to_one_chat = 0
        self.delivered: list[tuple[str, object]] = []
        self.release = asyncio.Event()
        self.crowded = asyncio.Event()
        self._wanted = wanted_at_once

    async def deliver(self, chat_id: str, reply: Reply) -> None:
        self.out[chat_id] += 1
        self.most_at_once = max(self.most_at_once, self.out.total())
        self.most_to_one_chat = max(self.most_to_one_chat, self.out[chat_id])
        if self.out.total() >= self._wanted:
            self.crowded.set()
        await self.release.wait()
        self.out[chat_id] -= 1
        self.delivered.append((chat_id, reply.context["round_name"]))


async def test_messages_to_different_chats_are_in_flight_together_but_never_two_to_one_chat(
    db: Database,
) -> None:
    transport = GatedTransport(wanted_at_once=8)
    delivery = Delivery(db, {"telegram": transport}, per_second=1000, workers=8)
    for n in range(3):
        for chat in range(10):
            await outbox.enqueue(
                db, "telegram", str(chat), "test", encode_reply(_reply(f"{n}")), f"{n}:{chat}", NOW
            )

    draining = asyncio.create_task(delivery.drain_once(NOW))
    await asyncio.wait_for(transport.crowded.wait(), timeout=5)
    transport.release.set()
    result = await asyncio.wait_for(draining, timeout=5)

    assert result.sent == 30
    assert transport.most_at_once == 8
    assert transport.most_to_one_chat == 1
    for chat in range(10):
        assert [n for to, n in transport.delivered if to == str(chat)] == ["0", "1", "2"]


async def test_a_chat_whose_held_back_message_went_another_way_is_forgotten_and_not_blocked(
    db: Database,
) -> None:
    """Telegram asks to leave chat 100 alone for 10 s, so its message goes back to the
    outbox; meanwhile another sender (a second process) delivers it. After the next pass the
    sender no longer keeps the chat in mind, and the chat's next message is not held behind
    the one already gone."""
    fake = FakeTransport({"100": [TransientDeliveryError("429", retry_after=10)]})
    time = VirtualTime()
    delivery = Delivery(
        db,
        {"telegram": fake},
        per_second=30,
        clock=time.now,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    first = await _queue(db, "100")
    await delivery.drain_once(time.now())
    assert delivery.chats_held_back == 1
    await outbox.mark_sent(db, first, time.now(), "elsewhere")

    time.advance(11)
    await delivery.drain_once(time.now())
    assert delivery.chats_held_back == 0

    await outbox.enqueue(
        db, "telegram", "100", "test", encode_reply(_reply("next")), "t:100:next", time.now()
    )
    await delivery.drain_once(time.now())
    assert [chat for chat, _ in fake.delivered] == ["100"]  # the next one, at once
    assert delivery.chats_held_back == 0
