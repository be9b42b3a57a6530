"""Replies and announcements share one limiter per platform, and replies go first.

Twenty treasurers order five times each at once, against a fake Bot API that enforces
Telegram's own limits (30/s overall, 1/s per chat with a burst of 3): every confirmation
arrives, in order in each chat, none refused; and a long order's confirmation arrives whole.
While an announcement backlog drains, a reply waiting for the same limiter goes before the
rest of the backlog. After Telegram asks for a long pause, the chat's next replies are
queued at once instead of drawing a 429 each.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.replies import (
    FIRST_QUANTITY,
    FIRST_USER_ID,
    LONG_USER_ID,
    bot_and_sender,
    long_order,
    product_code,
    quantities,
    seed,
)
from bot.delivery.pacing import Limits
from bot.delivery.sender import Delivery
from messages.outbox_codec import decode_reply, encode_reply
from messages.replies import Reply
from storage.database import Database, open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import VirtualTime

TREASURERS, ORDERS, LONG_LINES = 20, 5, 200
ANNOUNCED_CHATS = 10
REPLY_CHAT = "555"
ASKED = 4
WAIT_STEPS, WAIT_STEP_SECONDS = 500, 0.01  # up to 5 s


async def test_twenty_treasurers_ordering_at_once_get_every_confirmation_in_order(
    tmp_path: Path,
) -> None:
    async with open_database(tmp_path / "orders.sqlite3") as db, FakeTelegram() as fake:
        await seed(db, TREASURERS, LONG_LINES)
        fake.rate_limits.enable(per_chat_per_second=1.0, per_chat_burst=3, global_per_second=30.0)
        people = [fake.user(FIRST_USER_ID + n, f"Bendahara {n}") for n in range(TREASURERS)]
        long_person = fake.user(LONG_USER_ID, "Bendahara Panjang")
        async with bot_and_sender(fake, db):
            since = fake.mark()
            await fake.send_text(long_person, long_order(LONG_LINES))
            for n in range(ORDERS):
                for person in people:
                    await fake.send_text(person, f"/pesan BRS5 {FIRST_QUANTITY + n}")
            for _ in range(TREASURERS * ORDERS):
                call = await fake.wait_for_call(
                    "sendMessage",
                    lambda call: call.ok and call.params.get("chat_id") != long_person.id,
                    since=since,
                    timeout=30,
                )
                since = fake.calls.index(call, since) + 1

        in_order = [FIRST_QUANTITY + n for n in range(ORDERS)]
        assert [quantities(fake, person) for person in people] == [in_order] * TREASURERS
        assert fake.too_many_requests == 0
        long_reply = "\n".join(m.text or "" for m in fake.messages_to(long_person.id))
        assert len(fake.messages_to(long_person.id)) > 1  # it did need several messages
        assert all(product_code(n) in long_reply for n in range(LONG_LINES))


class RecordingTransport:
    """Announcements as they leave; the first one lets a reply start waiting for a token."""

    def __init__(self, deliveries: list[Delivery]) -> None:
        self.sent: list[str] = []
        self._delivery = deliveries
        self.reply: asyncio.Task[None] | None = None

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        self.sent.append(f"announcement {chat_id}")
        if self.reply is None:
            self.reply = asyncio.create_task(self._reply())
            await asyncio.sleep(0)  # the reply is now waiting for the shared limiter
        return str(len(self.sent))

    async def _reply(self) -> None:
        [delivery] = self._delivery
        await delivery.pacer("telegram").acquire(REPLY_CHAT, urgent=True)
        self.sent.append("reply")


async def _announce(db: Database, chats: int) -> None:
    payload = encode_reply(Reply("announce_broadcast", {"text": "Rapat Jumat"}, "id"))
    for n in range(chats):
        chat = str(2000 + n)
        await outbox.enqueue(db, "telegram", chat, "broadcast", payload, f"b:{chat}", NOW)


async def test_a_reply_goes_before_the_rest_of_an_announcement_backlog(db: Database) -> None:
    await _announce(db, ANNOUNCED_CHATS)
    time = VirtualTime()
    holder: list[Delivery] = []
    transport = RecordingTransport(holder)
    delivery = Delivery(
        db,
        {"telegram": transport},
        limits={"telegram": Limits(per_second=1.0, burst=1.0)},
        clock=time.now,
        monotonic=time.monotonic,
        sleep=time.sleep,
        workers=2,  # the next announcement already waits for a token when the reply comes
    )
    holder.append(time.watch(delivery))

    await delivery.drain_once(time.now())
    assert transport.reply is not None
    await transport.reply

    assert transport.sent[:2] == ["announcement 2000", "reply"]
    assert transport.sent[2:] == [f"announcement {2000 + n}" for n in range(1, ANNOUNCED_CHATS)]


async def test_after_a_429_the_chat_is_left_alone_and_its_replies_queued_in_order(
    tmp_path: Path,
) -> None:
    async with open_database(tmp_path / "held.sqlite3") as db, FakeTelegram() as fake:
        siti = fake.user(4101, "Siti")
        fake.rate_limits.enable(per_chat_per_second=0.001, per_chat_burst=1)
        async with bot_and_sender(fake, db):
            for _ in range(ASKED):
                await fake.send_text(siti, "/bantuan")
            await fake.wait_for_message(siti.id)
            queued = await _queued_replies(db, ASKED - 1)

        assert [reply.template for reply in queued] == ["telegram/rendered"] * (ASKED - 1)
        assert len(fake.messages_to(siti.id)) == 1  # the others wait as Telegram asked
        rows = await outbox.batch(db, "reply", NOW)
        assert [row.status for row in rows] == [DeliveryStatus.PENDING] * (ASKED - 1)
        assert fake.too_many_requests == 1  # not one 429 per reply: the pacer held the chat


async def _queued_replies(db: Database, count: int) -> list[Reply]:
    """The replies queued for the sender once `count` are there (a bounded look at the
    database, as the bot queues them while it handles the updates)."""
    for _ in range(WAIT_STEPS):
        rows = await outbox.batch(db, "reply", NOW)  # the bot's clock stands at NOW
        if len(rows) >= count:
            return [decode_reply(row.payload) for row in rows]
        await asyncio.sleep(WAIT_STEP_SECONDS)
    raise AssertionError(f"fewer than {count} replies were queued")
