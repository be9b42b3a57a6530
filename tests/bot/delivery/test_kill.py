"""A real sender process killed with SIGKILL mid-broadcast, then started again on the same
database: every recipient gets the message, at most one of them twice."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support import REPOSITORY
from tests.support.bot_process import kill_now
from tests.support.builders import NOW
from tests.support.fake_telegram import Call, FakeTelegram

ROOT = REPOSITORY
CHATS = list(range(5001, 5061))
KILL_AFTER = 20


async def queue_broadcast(db_path: Path) -> None:
    async with open_database(db_path) as db, db.transaction() as conn:
        for chat in CHATS:
            reply = encode_reply(Reply("announce_broadcast", {"text": "Rapat Jumat"}, "id"))
            key = f"broadcast:kill:telegram:{chat}"
            await outbox.enqueue(conn, "telegram", str(chat), "broadcast", reply, key, NOW)


async def start_sender(db_path: Path, fake: FakeTelegram) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.delivery_child",
        "--db", str(db_path), "--base-url", fake.base_url, "--token", fake.token,
        cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def sent(fake: FakeTelegram) -> int:
    return sum(call.ok for call in fake.calls_to("sendMessage"))


async def test_a_sender_process_killed_mid_broadcast_loses_nothing_after_a_restart(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.rate_limits.enable()
    db_path = tmp_path / "outbox.sqlite3"
    await queue_broadcast(db_path)

    first = await start_sender(db_path, fake_telegram)
    try:

        def enough(call: Call) -> bool:
            return sent(fake_telegram) >= KILL_AFTER

        await fake_telegram.wait_for_call("sendMessage", enough, timeout=30, since=0)
    finally:
        kill_now(first)
        await asyncio.wait_for(first.wait(), timeout=10)
    assert first.returncode == -9
    assert KILL_AFTER <= sent(fake_telegram) < len(CHATS)

    second = await start_sender(db_path, fake_telegram)
    _, errors = await asyncio.wait_for(second.communicate(), timeout=60)
    assert second.returncode == 0, errors.decode()

    received = {chat: len(fake_telegram.messages_to(chat)) for chat in CHATS}
    assert all(count >= 1 for count in received.values())
    assert sum(received.values()) - len(CHATS) <= 1
    assert fake_telegram.too_many_requests == 0
    async with open_database(db_path) as db:
        counts = await outbox.delivery_counts(db)
    assert counts[DeliveryStatus.SENT] == len(CHATS)
