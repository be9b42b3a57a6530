"""A reply to a treasurer goes ahead of a close's bills, and a chat's replies keep their order.

A round has just closed: a thousand bills wait in the outbox and the sender is working
through them at Telegram's 30 a second (half a minute of sending). Siti asks for her order;
Telegram refused the direct answer for now, so the bot queued it in the outbox
(`queue_replies`, as `bot.telegram.application` does) and woke the sender. Her answer arrives
within a few seconds, long before the bills are done, and still within Telegram's limits.

Against the fake Bot API (real PTB Bot over HTTP, Telegram's limits enforced) in virtual
time shared by the sender and the fake: no test waits.
"""

from __future__ import annotations

from bot.config import SendingConfig
from bot.delivery.pacing import limits_from
from bot.delivery.sender import Delivery
from bot.telegram.delivery import TelegramTransport
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.delivery import (
    PluggedTransport,
    VirtualTime,
    services_at,
)
from usecases.notices.posts import queue_replies

BILLS = 1000
FIRST_CHAT = 5000
SITI = FIRST_CHAT  # her bill went first
ASKS_AFTER_BILLS = 100
REPLY_WITHIN_SECONDS = 3.0


async def queue_bills(db: Database, time: VirtualTime) -> None:
    async with db.transaction() as tx:
        for n in range(BILLS):
            chat = str(FIRST_CHAT + n)
            bill = Reply("announce_broadcast", {"text": f"Tagihan koperasi {n}"}, "id")
            await outbox.enqueue(
                tx, "telegram", chat, "summary_bill", encode_reply(bill), f"bill:{chat}", time.now()
            )


async def test_a_queued_reply_goes_ahead_of_a_thousand_bills_being_sent(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    await queue_bills(db, time)
    asked_at: list[float] = []
    holder: list[Delivery] = []
    delivered: list[str] = []

    async def siti_asks_after_some_bills(chat_id: str) -> None:
        delivered.append(chat_id)
        if len(delivered) == ASKS_AFTER_BILLS:
            asked_at.append(time.monotonic())
            answer = Reply("announce_broadcast", {"text": "Pesanan Anda: BRS5 12 karung"}, "id")
            services = services_at(db, time)
            await queue_replies(services, "telegram", str(SITI), "telegram:77", [answer])
            holder[0].notify()  # as the bot does after handling an update

    delivery = Delivery(
        db,
        {"telegram": PluggedTransport(transport, siti_asks_after_some_bills)},
        limits=limits_from(SendingConfig()),
        clock=time.now,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    holder.append(time.watch(delivery))

    await delivery.drain_once()

    sent = [call for call in fake.calls_to("sendMessage") if call.ok]
    assert len(sent) == BILLS + 1  # every bill and the answer, none refused
    assert fake.too_many_requests == 0
    [answer] = [call for call in sent if "Pesanan Anda" in str(call.params["text"])]
    assert int(str(answer.params["chat_id"])) == SITI
    assert answer.at - asked_at[0] <= REPLY_WITHIN_SECONDS
    assert sent.index(answer) < BILLS / 2  # long before the bills are done
