"""The outbox: each message queued once, sent in order, retried, and counted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.database import Database
from storage.delivery.outbox import (
    DeliveryStatus,
    delivery_counts,
    due_messages,
    enqueue,
    get_message,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_unreachable,
    withdraw,
)
from tests.support.builders import NOW


async def _queue(db: Database, chat: str, key: str, kind: str = "round_open") -> bool:
    return await enqueue(db, "telegram", chat, kind, {"round_id": 7, "chat": chat}, key, NOW)


async def test_the_same_message_queued_twice_is_sent_once(db: Database) -> None:
    assert await _queue(db, "1001", "open:7:1001")
    assert not await _queue(db, "1001", "open:7:1001")

    [message] = await due_messages(db, NOW)
    assert (message.chat_id, message.kind, message.payload) == (
        "1001",
        "round_open",
        {"round_id": 7, "chat": "1001"},
    )
    assert message.status is DeliveryStatus.PENDING


async def test_a_message_queued_in_a_rolled_back_transaction_never_exists(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await enqueue(conn, "telegram", "1001", "round_open", {}, "open:7:1001", NOW)
            raise RuntimeError("the change failed")

    assert await due_messages(db, NOW) == []


async def test_a_retried_message_waits_until_its_next_attempt(db: Database) -> None:
    await _queue(db, "1001", "a")
    await _queue(db, "1002", "b")
    [first, _] = await due_messages(db, NOW)

    await mark_retry(db, first.id, NOW + timedelta(seconds=30), "429 retry_after 30")

    assert [m.chat_id for m in await due_messages(db, NOW)] == ["1002"]
    later = await due_messages(db, NOW + timedelta(seconds=30))
    assert [m.chat_id for m in later] == ["1002", "1001"]
    assert (later[1].attempts, later[1].last_error) == (1, "429 retry_after 30")


async def test_sent_unreachable_and_failed_messages_leave_the_queue_and_are_counted(
    db: Database,
) -> None:
    for chat in ("1", "2", "3", "4"):
        await _queue(db, chat, f"close:7:{chat}", kind="close_summary")
    await _queue(db, "5", "open:8:5")
    ids = [m.id for m in await due_messages(db, NOW)]

    await mark_sent(db, ids[0], NOW + timedelta(seconds=1))
    await mark_unreachable(db, ids[1], "bot was blocked by the user")
    await mark_failed(db, ids[2], "400 chat not found")
    await mark_sent(db, ids[2], NOW)  # too late: a finished message stays as it is

    assert await delivery_counts(db, dedupe_prefix="close:7:") == {
        DeliveryStatus.PENDING: 1,
        DeliveryStatus.SENT: 1,
        DeliveryStatus.FAILED: 1,
        DeliveryStatus.UNREACHABLE: 1,
        DeliveryStatus.WITHDRAWN: 0,
    }
    assert (await delivery_counts(db, kind_prefix="round_"))[DeliveryStatus.PENDING] == 1
    sent = await get_message(db, ids[0])
    assert sent is not None and sent.sent_at == NOW + timedelta(seconds=1)
    assert [m.chat_id for m in await due_messages(db, NOW)] == ["4", "5"]


async def test_the_sender_takes_at_most_its_batch(db: Database) -> None:
    for n in range(5):
        await _queue(db, str(n), f"k{n}")

    assert [m.chat_id for m in await due_messages(db, NOW, limit=2)] == ["0", "1"]


async def test_a_withdrawn_message_is_never_sent_and_says_why(db: Database) -> None:
    await _queue(db, "1", "reminder:7:20250305T0300:120:telegram:1", kind="reminder")
    await _queue(db, "2", "reminder:7:20250305T0300:120:telegram:2", kind="reminder")
    await _queue(db, "3", "reminder:71:20250305T0300:120:telegram:3", kind="reminder")
    [sent, *_] = await due_messages(db, NOW)
    await mark_sent(db, sent.id, NOW)

    assert await withdraw(db, "reminder:7:", "round_closed") == 1  # the one sent stays sent

    [left] = await due_messages(db, NOW + timedelta(days=1))
    assert left.dedupe_key.startswith("reminder:71:")  # another round's
    counts = await delivery_counts(db, dedupe_prefix="reminder:7:")
    assert (counts[DeliveryStatus.SENT], counts[DeliveryStatus.WITHDRAWN]) == (1, 1)
    withdrawn = await get_message(db, sent.id + 1)
    assert withdrawn is not None and withdrawn.last_error == "round_closed"
    assert not await _queue(db, "2", "reminder:7:20250305T0300:120:telegram:2", kind="reminder")


async def test_a_message_withdrawn_while_its_send_was_under_way_is_marked_sent(
    db: Database,
) -> None:
    await _queue(db, "1", "reminder:7:a", kind="reminder")
    await _queue(db, "2", "reminder:7:b", kind="reminder")
    [first, second] = await due_messages(db, NOW)  # the sender has them in hand
    await withdraw(db, "reminder:7:", "round_closed")

    await mark_sent(db, first.id, NOW)  # it went: the outbox says so
    await mark_failed(db, second.id, "400 bad request")  # it did not: still withdrawn

    counts = await delivery_counts(db, dedupe_prefix="reminder:7:")
    assert (counts[DeliveryStatus.SENT], counts[DeliveryStatus.WITHDRAWN]) == (1, 1)
