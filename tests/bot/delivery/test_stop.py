"""A real `belanja-bareng run` stopped with SIGTERM (as systemd stops it) while a backlog of
2,000 queued messages drains at the sender's pace of 30 a second: the process exits within
10 s, every message it sent is marked sent, and the rest are still pending for the next
start (docs/delivery.md, stopping). Nothing is lost and nothing goes twice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support.bot_process import EXIT_WITHIN, BotProcess, write_config
from tests.support.builders import NOW
from tests.support.fake_telegram import Call, FakeTelegram

BACKLOG = [str(chat) for chat in range(100_001, 102_001)]
STOP_AFTER = 60  # messages sent before the stop: about two seconds at 30 a second
PATIENCE = 30.0


async def queue_backlog(database: Path) -> None:
    reply = encode_reply(Reply("announce_broadcast", {"text": "Rapat Jumat"}, "id"))
    async with open_database(database) as db, db.transaction() as tx:
        for chat in BACKLOG:
            key = f"broadcast:stop:telegram:{chat}"
            await outbox.enqueue(tx, "telegram", chat, "broadcast", reply, key, NOW)


def delivered(fake: FakeTelegram) -> list[str]:
    return [str(call.params["chat_id"]) for call in fake.calls_to("sendMessage") if call.ok]


async def test_sigterm_with_a_backlog_stops_within_ten_seconds_and_keeps_the_rest_pending(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    await queue_backlog(database)
    config = write_config(fake_telegram, database, [])

    async with await BotProcess.start(config, fake_telegram, tmp_path / "run.log") as bot:

        def enough(call: Call) -> bool:
            return len(delivered(fake_telegram)) >= STOP_AFTER

        await fake_telegram.wait_for_call("sendMessage", enough, timeout=PATIENCE, since=0)
        assert await bot.stop() == 0, bot.log.read_text()  # stop() allows EXIT_WITHIN s

    async with open_database(database) as db:
        statuses = await outbox.statuses_with_prefix(db, "broadcast:stop:")
        rows = [await outbox.get_message(db, row_id) for row_id in statuses]
    by_status = Counter(statuses.values())
    sent_to = sorted(row.chat_id for row in rows if row and row.status is DeliveryStatus.SENT)
    sends = delivered(fake_telegram)
    assert EXIT_WITHIN == 10.0
    assert set(by_status) == {DeliveryStatus.SENT, DeliveryStatus.PENDING}
    assert by_status[DeliveryStatus.PENDING] > len(BACKLOG) // 2  # the backlog stays queued
    assert sorted(sends) == sent_to  # each message sent once, and marked
    assert all(row.attempts == 0 for row in rows if row and row.status is DeliveryStatus.PENDING)
    assert fake_telegram.errors == []
