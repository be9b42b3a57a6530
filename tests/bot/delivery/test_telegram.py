"""The sender against the fake Bot API: real PTB Bot over HTTP, limits on, faults injected,
a real SQLite file, and virtual time shared by the sender and the fake's rate limits."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

import pytest

from bot.config import SendingConfig
from bot.delivery.pacing import limits_from
from bot.delivery.sender import Delivery, Limits, Transport
from bot.telegram.delivery import TelegramTransport
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import (
    ADMIN_IDS,
    GROUP_IDS,
    PluggedTransport,
    VirtualTime,
    drain_all,
    seed_audience,
    services_at,
)
from usecases.broadcast import broadcast
from usecases.notices.audience import Recipient

TELEGRAM = limits_from(SendingConfig())
BURST = 5
EPSILON = 1e-6


def sender(
    db: Database,
    time: VirtualTime,
    transport: Transport,
    limits: Limits = TELEGRAM["telegram"],
) -> Delivery:
    delivery = Delivery(
        db,
        {"telegram": transport},
        limits={"telegram": limits},
        clock=time.now,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    return time.watch(delivery)


async def queue_post(db: Database, time: VirtualTime, chat_id: int, key: str) -> None:
    reply = Reply("announce_broadcast", {"text": key}, "id")
    payload = encode_reply(reply)
    await outbox.enqueue(db, "telegram", str(chat_id), "broadcast", payload, key, time.now())


def send_times(fake: FakeTelegram) -> dict[int, list[float]]:
    times: dict[int, list[float]] = defaultdict(list)
    for call in fake.calls_to("sendMessage"):
        if call.ok:
            times[int(str(call.params["chat_id"]))].append(call.at)
    return times


async def statuses(db: Database) -> dict[DeliveryStatus, int]:
    return await outbox.delivery_counts(db)


async def test_a_broadcast_to_100_chats_and_2_groups_keeps_every_telegram_limit(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    chats = await seed_audience(db, 100)
    for round_ in (1, 2):  # two broadcasts: every chat gets two messages
        for chat in [*chats, *GROUP_IDS]:
            await queue_post(db, time, chat, f"broadcast:{round_}:telegram:{chat}")
    for n in range(23):  # and the groups many more, past 20 a minute
        for group in GROUP_IDS:
            await queue_post(db, time, group, f"progress:{n}:telegram:{group}")

    await drain_all(sender(db, time, transport), db, time)

    assert fake.too_many_requests == 0
    times = send_times(fake)
    assert {chat: len(at) for chat, at in times.items()} == {
        **{chat: 2 for chat in chats},
        **{group: 25 for group in GROUP_IDS},
    }
    for at in times.values():
        assert all(later - earlier >= 1.0 - EPSILON for earlier, later in pairwise(at))
    for group in GROUP_IDS:
        at = times[group]
        assert all(at[i + 20] - at[i] >= 60.0 - EPSILON for i in range(len(at) - 20))
    every = sorted(t for at in times.values() for t in at)
    within_a_second = 30 + BURST
    assert all(
        every[i + within_a_second] - every[i] >= 1.0 - EPSILON
        for i in range(len(every) - within_a_second)
    )
    assert (len(every) - 1) / (every[-1] - every[0]) <= 30.0
    assert await statuses(db) == {
        DeliveryStatus.PENDING: 0,
        DeliveryStatus.SENT: 250,
        DeliveryStatus.FAILED: 0,
        DeliveryStatus.UNREACHABLE: 0,
        DeliveryStatus.WITHDRAWN: 0,
    }


async def test_a_group_past_20_a_minute_gets_its_messages_in_the_order_they_were_queued(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    chats = await seed_audience(db, 24)
    for n in range(50):  # progress posts between announcements, for over a minute at 10/s
        for group in GROUP_IDS:
            await queue_post(db, time, group, f"progress:{n}:telegram:{group}")
        for chat in chats[n % 2 :: 2]:
            await queue_post(db, time, chat, f"broadcast:{n}:telegram:{chat}")
    slower = replace(TELEGRAM["telegram"], per_second=10, burst=5)

    await drain_all(sender(db, time, transport, slower), db, time)

    assert fake.too_many_requests == 0
    for group in GROUP_IDS:
        texts = [(message.text or "").split("\n")[-1] for message in fake.messages_to(group)]
        assert texts == [f"progress:{n}:telegram:{group}" for n in range(50)]


async def test_a_429_retry_after_is_honoured_for_that_chat_only_and_the_message_arrives(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    fake.rate_limits.enable(per_chat_burst=1)
    eager = Limits(per_second=30, per_chat_seconds=0.0)  # misjudges Telegram's pace per chat
    for n in range(3):
        await queue_post(db, time, 1001, f"t:{n}:telegram:1001")
    for chat in range(2001, 2011):
        await queue_post(db, time, chat, f"o:telegram:{chat}")
    delivery = sender(db, time, transport, eager)

    first = await delivery.drain_once(time.now())

    assert fake.too_many_requests == 1
    assert (first.sent, first.retried, first.postponed) == (11, 1, 1)
    [refused] = [call for call in fake.calls_to("sendMessage") if call.status == 429]
    refused_at = time.wall(refused.at)
    [waiting, behind] = await outbox.due_messages(db, time.now() + timedelta(minutes=1))
    assert waiting.next_attempt_at == refused_at + timedelta(seconds=1)
    assert behind.next_attempt_at == waiting.next_attempt_at
    assert waiting.attempts == 0 and waiting.id < behind.id
    others = [at for chat, at in send_times(fake).items() if chat != 1001]
    assert max(t for at in others for t in at) < refused.at + 1  # the others did not wait

    assert (await delivery.drain_once(time.now())).handled == 0  # not before it is due
    await drain_all(delivery, db, time)

    texts = [message.text or "" for message in fake.messages_to(1001)]
    assert [text.split("\n")[-1] for text in texts] == [f"t:{n}:telegram:1001" for n in range(3)]


async def test_a_5xx_and_a_timeout_are_retried_with_backoff_and_arrive(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    fake.fail_next("sendMessage", "server_error")
    fake.fail_next("sendMessage", "timeout")
    await queue_post(db, time, 1001, "a:telegram:1001")
    await queue_post(db, time, 1002, "b:telegram:1002")
    delivery = sender(db, time, transport)

    first = await delivery.drain_once(time.now())

    assert (first.sent, first.retried) == (0, 2)
    retries = await outbox.due_messages(db, time.now() + timedelta(minutes=1))
    assert {m.attempts for m in retries} == {1}
    assert {m.next_attempt_at - time.now() for m in retries} == {timedelta(seconds=30)}
    time.advance(29)
    assert (await delivery.drain_once(time.now())).handled == 0
    time.advance(1)
    again = await delivery.drain_once(time.now())

    assert again.sent == 2
    assert len(fake.messages_to(1001)) == len(fake.messages_to(1002)) == 1


async def test_a_blocked_user_is_marked_unreachable_and_the_admins_are_told_once(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    chats = await seed_audience(db, 5, with_groups=False)
    fake.block_chat(chats[1])
    fake.lose_chat(chats[3])
    for chat in chats:
        await queue_post(db, time, chat, f"broadcast:x:telegram:{chat}")

    await drain_all(sender(db, time, transport), db, time)
    await drain_all(sender(db, time, transport), db, time)  # a restart

    rows = {m.chat_id: m for m in await outbox.batch(db, "broadcast", time.start)}
    assert rows[str(chats[1])].status is DeliveryStatus.UNREACHABLE
    assert rows[str(chats[1])].last_error == "blocked"
    assert rows[str(chats[3])].last_error == "chat_not_found"
    assert sum(m.status is DeliveryStatus.SENT for m in rows.values()) == 3
    for admin in ADMIN_IDS:
        [notice] = fake.messages_to(admin)
        assert notice.text is not None
        assert "2 dari 5 penerima tidak mendapat siaran" in notice.text
        assert f"Bendahara {chats[1]}" in notice.text and "memblokir bot" in notice.text
        assert str(chats[3]) in notice.text and "obrolan tidak ditemukan" in notice.text


async def test_a_sender_killed_between_send_and_mark_loses_nothing_and_repeats_one(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    chats = list(range(3001, 3031))
    for chat in chats:
        await queue_post(db, time, chat, f"broadcast:k:telegram:{chat}")
    draining: list[asyncio.Task[object]] = []
    delivered: list[str] = []

    async def pull_the_plug(chat_id: str) -> None:
        delivered.append(chat_id)
        if len(delivered) == 10:
            draining[0].cancel()
            raise asyncio.CancelledError

    crashing = sender(db, time, PluggedTransport(transport, pull_the_plug))
    draining.append(asyncio.create_task(crashing.drain_once(time.now())))
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(draining[0], timeout=10)

    await drain_all(sender(db, time, transport), db, time)

    received = {chat: len(fake.messages_to(chat)) for chat in chats}
    assert all(count >= 1 for count in received.values())
    assert sum(received.values()) == len(chats) + 1
    assert received[int(delivered[9])] == 2
    assert (await statuses(db))[DeliveryStatus.SENT] == len(chats)


async def test_broadcast_progress_is_edited_in_place_until_terkirim_100_of_100(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    await seed_audience(db, 98)
    admin = Recipient("telegram", str(ADMIN_IDS[0]), "id", is_group=False)

    done = await broadcast(services_at(db, time), "b42", "Rapat hari Jumat", admin)
    await drain_all(sender(db, time, transport), db, time)

    assert (done.queued, done.recipients) == (100, 100)
    [progress] = fake.messages_to(ADMIN_IDS[0])
    assert progress.text == "📢 Siaran: Terkirim 100/100 · selesai ✅"
    shown = [version.text or "" for version in progress.versions]
    assert shown[0] == "📢 Siaran: Terkirim 0/100 …"
    counts = [int(text.split("Terkirim ")[1].split("/")[0]) for text in shown]
    assert counts == sorted(counts) and 0 < len(shown) - 1 <= 4
    edits = [call.at for call in fake.calls_to("editMessageText") if call.ok]
    assert all(later - earlier >= 2.0 - EPSILON for earlier, later in pairwise(edits[:-1]))
    [row] = await outbox.batch(db, "broadcast_progress", time.start)
    assert row.payload[outbox.PROGRESS_DONE] is True
