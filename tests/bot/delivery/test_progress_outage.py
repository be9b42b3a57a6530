"""A broadcast's progress message reaches its final count even when the Bot API was down for a
while: the real sender and Telegram transport against the fake Bot API, in virtual time."""

from __future__ import annotations

import asyncio

from bot.delivery.sender import Delivery
from bot.delivery.transport import TransientDeliveryError
from bot.telegram.delivery import TelegramTransport
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.outage import plan_outage
from tests.support.fake_telegram.recorder import Call
from tests.support.fixtures.delivery import (
    ADMIN_IDS,
    PluggedTransport,
    VirtualTime,
    drain_all,
    seed_audience,
    services_at,
)
from usecases.broadcast import broadcast
from usecases.notices.audience import Recipient

ADMIN = ADMIN_IDS[0]


def sender(db: Database, time: VirtualTime, transport: PluggedTransport) -> Delivery:
    delivery = Delivery(
        db, {"telegram": transport}, clock=time.now, monotonic=time.monotonic, sleep=time.sleep
    )
    return time.watch(delivery)


async def broadcast_to(db: Database, time: VirtualTime, treasurers: int) -> int:
    """The admin broadcasts to `treasurers` treasurers and the two groups; how many get it."""
    await seed_audience(db, treasurers)
    admin = Recipient("telegram", str(ADMIN), "id", is_group=False)
    done = await broadcast(services_at(db, time), "b61", "Rapat hari Jumat", admin)
    return done.recipients


async def progress_done(db: Database, time: VirtualTime) -> bool:
    [row] = await outbox.batch(db, "broadcast_progress", time.start)
    return row.payload.get(outbox.PROGRESS_DONE) is True


def shown_final(call: Call) -> bool:
    return call.ok and "selesai" in str(call.params.get("text"))


async def test_an_outage_of_12_s_just_after_the_progress_post_ends_at_terkirim_61_of_61(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    recipients = await broadcast_to(db, time, 59)
    outage = plan_outage(fake, seconds=12)

    async def after_deliver(chat_id: str) -> None:
        if chat_id == str(ADMIN):  # "Terkirim 0/61 …" is out: now the Bot API goes down
            outage.begin()

    await drain_all(sender(db, time, PluggedTransport(transport, after_deliver)), db, time)

    assert recipients == 61
    assert outage.refused.count("editMessageText") >= 2  # edits failed during the outage
    assert all(len(fake.messages_to(chat)) == 1 for chat in range(1001, 1060))
    [progress] = fake.messages_to(ADMIN)
    assert progress.text == "📢 Siaran: Terkirim 61/61 · selesai ✅"
    assert progress.versions[0].text == "📢 Siaran: Terkirim 0/61 …"
    assert await progress_done(db, time)


async def test_an_outage_as_the_last_row_arrives_delays_the_final_edit_but_it_is_shown(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    recipients = await broadcast_to(db, time, 3)
    outage = plan_outage(fake, seconds=12)
    delivered: list[str] = []

    async def after_deliver(chat_id: str) -> None:
        delivered.append(chat_id)
        if len(delivered) == 1 + recipients:  # the progress post and every row are out
            outage.begin()

    delivery = sender(db, time, PluggedTransport(transport, after_deliver))
    stop = asyncio.Event()
    running = asyncio.create_task(delivery.run(stop))
    try:
        await fake.wait_for_call("editMessageText", shown_final, since=0, timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=10)

    assert outage.refused and set(outage.refused) == {"editMessageText"}
    [progress] = fake.messages_to(ADMIN)
    assert progress.text == "📢 Siaran: Terkirim 5/5 · selesai ✅"
    assert await progress_done(db, time)


class LostAnswerTransport(PluggedTransport):
    """The final edit reaches Telegram, but its answer is lost on the way back (once)."""

    lost = 0

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None:
        await self.inner.edit(chat_id, message_id, reply)
        if reply.context.get("done") and not self.lost:
            self.lost += 1
            raise TransientDeliveryError("timed out")


async def test_a_final_edit_repeated_after_a_lost_answer_is_not_modified_and_counts_as_done(
    db: Database, time: VirtualTime, fake: FakeTelegram, transport: TelegramTransport
) -> None:
    await broadcast_to(db, time, 3)

    async def nothing(chat_id: str) -> None:
        pass

    lossy = LostAnswerTransport(transport, nothing)
    await drain_all(sender(db, time, lossy), db, time)

    assert lossy.lost == 1
    [not_modified] = fake.bad_requests
    assert "message is not modified" in not_modified.description
    [progress] = fake.messages_to(ADMIN)
    assert progress.text == "📢 Siaran: Terkirim 5/5 · selesai ✅"
    assert await progress_done(db, time)
    assert len([call for call in fake.calls_to("editMessageText") if shown_final(call)]) == 1
