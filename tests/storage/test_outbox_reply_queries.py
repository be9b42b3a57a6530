"""The outbox queries the sender uses to put replies ahead of a backlog and keep order."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.database import Database
from storage.delivery import outbox
from storage.encoding import to_db_time
from tests.support.builders import NOW

REPLIES = ("reply", "whatsapp_reply")
LATER = NOW + timedelta(seconds=10)


async def _queue(db: Database, chat: str, kind: str, key: str, at: datetime = NOW) -> int:
    await outbox.enqueue(db, "telegram", chat, kind, {"text": key}, key, at)
    [row] = [m for m in await outbox.due_messages(db, LATER, 1000) if m.dedupe_key == key]
    return row.id


async def test_due_replies_come_without_the_bills_queued_before_them(db: Database) -> None:
    for n in range(5):
        await _queue(db, str(100 + n), "summary_bill", f"bill:{n}")
    early = await _queue(db, "200", "reply", "reply:1")
    whatsapp = await _queue(db, "201", "whatsapp_reply", "wa:1")
    await _queue(db, "202", "reply", "reply:later", at=LATER)  # not due yet

    due = await outbox.due_of_kinds(db, REPLIES, NOW + timedelta(seconds=1))

    assert [row.id for row in due] == [early, whatsapp]
    assert await outbox.due_of_kinds(db, ("reply", "reply"), LATER) == [
        row for row in await outbox.due_of_kinds(db, REPLIES, LATER) if row.kind == "reply"
    ]  # a kind asked twice: its rows once


async def test_the_due_replies_are_read_from_the_kind_index_never_by_walking_the_backlog(
    db: Database,
) -> None:
    at = to_db_time(NOW)
    query = "EXPLAIN QUERY PLAN " + outbox.due_of_kinds_query(len(REPLIES))

    plan = [row[3] for row in await db.fetch_all(query, ("reply", at, "whatsapp_reply", at, 100))]

    each_kind = (
        "SEARCH outbox USING INDEX outbox_due_by_kind (status=? AND kind=? AND next_attempt_at<?)"
    )
    assert plan.count(each_kind) == len(REPLIES)  # one range per kind, merged
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in plan)


async def test_replies_queued_after_a_row_are_found_by_id_with_the_newest_id(
    db: Database,
) -> None:
    seen = await _queue(db, "200", "reply", "reply:old")
    await _queue(db, "100", "summary_bill", "bill:1")
    new = await _queue(db, "200", "reply", "reply:new")

    rows, newest = await outbox.queued_after(db, seen, REPLIES, NOW)

    assert [row.id for row in rows] == [new]
    assert newest == new
    assert await outbox.queued_after(db, newest, REPLIES, NOW) == ([], new)


async def test_which_rows_are_still_pending_and_whether_a_chat_has_replies_waiting(
    db: Database,
) -> None:
    sent = await _queue(db, "200", "reply", "reply:1")
    waiting = await _queue(db, "200", "reply", "reply:2")
    bill = await _queue(db, "300", "summary_bill", "bill:1")
    await outbox.mark_sent(db, sent, NOW)

    assert await outbox.pending_among(db, [sent, waiting, bill, 999]) == {waiting, bill}
    assert await outbox.pending_among(db, []) == set()
    assert await outbox.has_pending_of_kinds(db, "telegram", "200", REPLIES)
    assert not await outbox.has_pending_of_kinds(db, "telegram", "300", REPLIES)
    await outbox.mark_sent(db, waiting, NOW)
    assert not await outbox.has_pending_of_kinds(db, "telegram", "200", REPLIES)
