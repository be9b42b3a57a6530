"""The durable outbox: everything the bot sends on its own initiative waits here.

Use cases enqueue rows (inside their own transaction when given its `conn`, so a message
exists if and only if the change that caused it was committed). A rate-limited sender
drains `due_messages` and marks each row sent, retried later, unreachable (the person
blocked the bot or is outside the platform's window) or failed (gave up). A row not sent yet
may be withdrawn (`withdraw`: what it says is no longer true, a round's reminder once the
round has closed); it stays, with its reason, and is never sent.

`dedupe_key` is UNIQUE: enqueueing the same message twice (a sweep that runs twice, a
restart) queues it once, so every summary reaches every recipient once.

A row may be queued before its message is written (`hold`: never due, `next_attempt_at` is
`HELD_UNTIL`) and written later in a transaction of its own (`release`): a close queues
its 10,000 bills' rows in its own transaction, cheaply, and writes them in short ones after.

Rows queued together (one transaction) share their `created_at` and `kind`: that pair is a
*batch* (one broadcast, one kind of summary), which the sender reports on as a whole. A sent
row may remember the platform's id of the message it became (`SENT_MESSAGE_ID` in its
payload), so the sender can edit that message later (a broadcast's progress message), and
a platform that reports a failure only later (WhatsApp's "failed" status) can find the row
(`sent_as`) and take it back (`mark_returned`).

Sent messages are deleted after a while (`forget_sent_before`, run daily by
`usecases.sweeps.prune_sent_messages`); docs/delivery.md says why no dedupe key is then
queued again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.database import Connection
from storage.encoding import (
    JsonObject,
    dump_json,
    from_db_time,
    load_json_object,
    optional_time,
    to_db_time,
)

SENT_MESSAGE_ID = "sent_message_id"
# The `next_attempt_at` of a row queued before its message is written (`hold`): never due.
HELD_UNTIL = "9999-12-31T00:00:00.000000+00:00"
PROGRESS_DONE = "progress_done"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    WITHDRAWN = "withdrawn"  # never sent: out of date before its turn came (migration 0026)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    platform: str
    chat_id: str
    kind: str
    payload: JsonObject
    dedupe_key: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None


async def enqueue(
    conn: Connection,
    platform: str,
    chat_id: str,
    kind: str,
    payload: JsonObject,
    dedupe_key: str,
    now: datetime,
) -> bool:
    """Queue a message; False when one with this `dedupe_key` was queued before."""
    at = to_db_time(now)
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO outbox (platform, chat_id, kind, payload, dedupe_key, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (platform, chat_id, kind, dump_json(payload), dedupe_key, at, at),
    )
    return cursor.rowcount > 0


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A row queued now whose message is written later (`hold`, `release`)."""

    platform: str
    chat_id: str
    kind: str
    payload: JsonObject  # what the writer needs to write the message
    dedupe_key: str


async def hold(conn: Connection, rows: Sequence[HeldRow], now: datetime) -> int:
    """Queue `rows` in ONE statement, each never due (`HELD_UNTIL`) until `release` writes its
    message; rows whose dedupe key was queued before are left alone. How many were new."""
    at = to_db_time(now)
    written = await conn.execute_many(
        "INSERT OR IGNORE INTO outbox (platform, chat_id, kind, payload, dedupe_key, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (row.platform, row.chat_id, row.kind, dump_json(row.payload), row.dedupe_key,
             HELD_UNTIL, at)
            for row in rows
        ],
    )  # fmt: skip
    return written.rowcount


async def held_messages(
    conn: Connection, dedupe_prefix: str, limit: int, skip: Sequence[str] = ()
) -> list[OutboxMessage]:
    """Up to `limit` held rows whose dedupe key starts with `dedupe_prefix` (any, when
    empty) and with none of the prefixes in `skip`, in id order."""
    ranges = [(dedupe_prefix, _after(dedupe_prefix))]
    skipped = "".join(" AND NOT (dedupe_key >= ? AND dedupe_key < ?)" for _ in skip)
    ranges += [(prefix, _after(prefix)) for prefix in skip]
    rows = await conn.fetch_all(
        "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at = ? "
        f"AND dedupe_key >= ? AND dedupe_key < ?{skipped} ORDER BY id LIMIT ?",
        (HELD_UNTIL, *(bound for pair in ranges for bound in pair), limit),
    )
    return [_message(row) for row in rows]


def _after(prefix: str) -> str:
    """The first key after every key that starts with `prefix` (after all, when empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"


async def release(conn: Connection, messages: Sequence[tuple[int, str]], now: datetime) -> int:
    """Write each held row's message (id, payload already encoded: `dump_json`) and make it
    due at `now`, in ONE statement; a row no longer held (released by another process) is
    left alone. The caller encodes before its transaction: 250 bills' JSON is CPU work that
    must not hold the write lock (nor, in the bot, the event loop)."""
    at = to_db_time(now)
    written = await conn.execute_many(
        "UPDATE outbox SET payload = ?, next_attempt_at = ? "
        "WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
        [(payload, at, id_, HELD_UNTIL) for id_, payload in messages],
    )
    return written.rowcount


@dataclass(frozen=True, slots=True)
class QueuedRow:
    """A message to queue whose payload is already encoded (`dump_json`)."""

    platform: str
    chat_id: str
    kind: str
    payload: str
    dedupe_key: str


async def enqueue_encoded(conn: Connection, rows: Sequence[QueuedRow], now: datetime) -> int:
    """Queue `rows` in ONE statement (as `enqueue` does each); how many were new."""
    at = to_db_time(now)
    written = await conn.execute_many(
        "INSERT OR IGNORE INTO outbox (platform, chat_id, kind, payload, dedupe_key, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(row.platform, row.chat_id, row.kind, row.payload, row.dedupe_key, at, at)
         for row in rows],
    )  # fmt: skip
    return written.rowcount


async def due_messages(conn: Connection, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Pending messages whose time has come, oldest first."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (to_db_time(now), limit),
        )
    return [_message(row) for row in rows]


async def get_message(conn: Connection, message_id: int) -> OutboxMessage | None:
    async with conn.snapshot() as snap:
        rows = list(await snap.fetch_all("SELECT * FROM outbox WHERE id = ?", (message_id,)))
    return _message(rows[0]) if rows else None


async def mark_sent(
    conn: Connection, message_id: int, now: datetime, sent_message_id: str | None = None
) -> None:
    """Sent; `sent_message_id` (the platform's id for it) is kept in the payload when given.
    A row withdrawn while its send was under way is marked sent too: it went."""
    async with conn.write() as tx:
        await _finish_in(tx, message_id, DeliveryStatus.SENT, "", now, withdrawn_too=True)
        if sent_message_id:
            await _set_field_in(tx, message_id, SENT_MESSAGE_ID, sent_message_id)


async def mark_unreachable(conn: Connection, message_id: int, error: str) -> None:
    await _finish(conn, message_id, DeliveryStatus.UNREACHABLE, error, None)


async def mark_failed(conn: Connection, message_id: int, error: str) -> None:
    await _finish(conn, message_id, DeliveryStatus.FAILED, error, None)


async def withdraw(conn: Connection, dedupe_prefix: str, reason: str) -> int:
    """Withdraw every pending row whose dedupe key starts with `dedupe_prefix` (a range of
    the dedupe key's index), `reason` in its `last_error`; how many."""
    if not dedupe_prefix:
        raise ValueError("an empty prefix would withdraw every message")
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'withdrawn', last_error = ? "
        "WHERE dedupe_key >= ? AND dedupe_key < ? AND status = 'pending'",
        (reason, dedupe_prefix, _after(dedupe_prefix)),
    )
    return cursor.rowcount


async def withdraw_replies(
    conn: Connection, kinds: Sequence[str], templates: Sequence[str], round_id: int, reason: str
) -> int:
    """Withdraw the pending rows of `kinds` (each a range of `outbox_due_by_kind`) whose reply
    is one of `templates` about round `round_id` (its context's `round_id`): a reply queued
    again under a key of its own (a WhatsApp reply held and released); how many."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'withdrawn', last_error = ? "
        "WHERE status = 'pending' AND kind IN (SELECT value FROM json_each(?)) "
        "AND json_extract(payload, '$.template') IN (SELECT value FROM json_each(?)) "
        "AND json_extract(payload, '$.context.round_id') = ?",
        (reason, dump_json(list(kinds)), dump_json(list(templates)), round_id),
    )
    return cursor.rowcount


async def requeue_failed(
    conn: Connection, since: datetime | None, now: datetime, skip_kinds: Sequence[str]
) -> int:
    """Make the failed messages queued at or after `since` (every one, when None) pending
    again, due at `now` with no attempt counted, so the sender tries each as if new (its
    attempts and backoff anew); those of `skip_kinds`, and held rows never written, stay
    failed. How many."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? "
        "WHERE status = 'failed' AND created_at >= ? AND next_attempt_at != ? "
        "AND kind NOT IN (SELECT value FROM json_each(?))",
        (
            to_db_time(now), "" if since is None else to_db_time(since), HELD_UNTIL,
            dump_json(list(skip_kinds)),
        ),
    )  # fmt: skip
    return cursor.rowcount


async def mark_retry(
    conn: Connection, message_id: int, next_at: datetime, error: str, *, count_attempt: bool = True
) -> None:
    """Try again at `next_at`; a failed attempt counts unless `count_attempt` is False (the
    platform only asked us to slow down)."""
    async with conn.write() as tx:
        await tx.execute(
            "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ? "
            "WHERE id = ? AND status = 'pending'",
            (1 if count_attempt else 0, to_db_time(next_at), error, message_id),
        )


async def postpone(conn: Connection, message_id: int, next_at: datetime) -> None:
    """Not now (the chat's pace does not allow it yet): due again at `next_at`, no attempt."""
    async with conn.write() as tx:
        await tx.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'",
            (to_db_time(next_at), message_id),
        )


async def sent_as(conn: Connection, platform: str, sent_message_id: str) -> OutboxMessage | None:
    """The message marked sent that became the platform's message `sent_message_id`."""
    rows = list(
        await conn.fetch_all(
            "SELECT * FROM outbox WHERE platform = ? "
            "AND json_extract(payload, '$.sent_message_id') = ? AND status = 'sent'",
            (platform, sent_message_id),
        )
    )
    return _message(rows[0]) if rows else None


async def ever_sent_as(conn: Connection, platform: str, sent_message_id: str) -> bool:
    """Whether any message, in any status now, was marked sent as `sent_message_id`."""
    rows = list(
        await conn.fetch_all(
            "SELECT 1 FROM outbox WHERE platform = ? "
            "AND json_extract(payload, '$.sent_message_id') = ? LIMIT 1",
            (platform, sent_message_id),
        )
    )
    return bool(rows)


async def mark_returned(
    conn: Connection,
    message_id: int,
    status: DeliveryStatus,
    error: str,
    next_at: datetime,
) -> bool:
    """A message marked sent that the platform later reported undelivered: `pending` again
    (due at `next_at`), `unreachable` or `failed`; False when it is not marked sent."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, sent_at = NULL "
        "WHERE id = ? AND status = 'sent'",
        (status.value, to_db_time(next_at), error, message_id),
    )
    return cursor.rowcount > 0


async def forget_sent_before(conn: Connection, cutoff: datetime, batch_size: int = 1000) -> int:
    """Delete the messages marked sent before `cutoff`, and those withdrawn that were queued
    before it, `batch_size` rows per transaction (so a first prune of a large table never
    holds the writers up for long); how many went. Pending, failed and unreachable messages
    are never deleted."""
    deleted = 0
    while True:
        async with conn.write() as tx:
            cursor = await tx.execute(
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                "WHERE status = 'sent' AND sent_at < ? "
                "UNION ALL SELECT id FROM outbox WHERE status = 'withdrawn' AND created_at < ? "
                "ORDER BY id LIMIT ?)",
                (to_db_time(cutoff), to_db_time(cutoff), batch_size),
            )
        deleted += cursor.rowcount
        if cursor.rowcount < batch_size:
            return deleted


async def next_due_at(conn: Connection) -> datetime | None:
    """When the earliest pending message is due (None: nothing is pending)."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'"
            )
        )
    return optional_time(rows[0]["at"]) if rows else None


async def _finish(
    conn: Connection, message_id: int, status: DeliveryStatus, error: str, sent_at: datetime | None
) -> None:
    async with conn.write() as tx:
        await _finish_in(tx, message_id, status, error, sent_at)


async def _finish_in(
    conn: Connection,
    message_id: int,
    status: DeliveryStatus,
    error: str,
    sent_at: datetime | None,
    *,
    withdrawn_too: bool = False,
) -> None:
    unfinished = "('pending', 'withdrawn')" if withdrawn_too else "('pending')"
    await conn.execute(
        "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = ? "
        f"WHERE id = ? AND status IN {unfinished}",
        (status.value, error, None if sent_at is None else to_db_time(sent_at), message_id),
    )


async def delivery_counts(
    conn: Connection, *, kind_prefix: str = "", dedupe_prefix: str = ""
) -> dict[DeliveryStatus, int]:
    """How many messages are in each status, among those whose kind and dedupe key start
    with the given prefixes (every status is present, 0 when none)."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT status, COUNT(*) AS n FROM outbox "
            "WHERE substr(kind, 1, ?) = ? AND substr(dedupe_key, 1, ?) = ? GROUP BY status",
            (len(kind_prefix), kind_prefix, len(dedupe_prefix), dedupe_prefix),
        )
    counts = dict.fromkeys(DeliveryStatus, 0)
    for row in rows:
        counts[DeliveryStatus(row["status"])] = int(row["n"])
    return counts


async def statuses_with_prefix(conn: Connection, dedupe_prefix: str) -> dict[int, DeliveryStatus]:
    """The status of every message whose dedupe key starts with `dedupe_prefix`, by id
    (a range over the dedupe key's index, not a scan)."""
    if not dedupe_prefix:
        raise ValueError("an empty prefix would match every message")
    after = dedupe_prefix[:-1] + chr(ord(dedupe_prefix[-1]) + 1)
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT id, status FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?",
            (dedupe_prefix, after),
        )
    return {int(row["id"]): DeliveryStatus(row["status"]) for row in rows}


async def batch(conn: Connection, kind: str, created_at: datetime) -> list[OutboxMessage]:
    """Every message queued together with `kind` at `created_at`, in id order."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT * FROM outbox WHERE created_at = ? AND kind = ? ORDER BY id",
            (to_db_time(created_at), kind),
        )
    return [_message(row) for row in rows]


async def batches_with_failures(conn: Connection, since: datetime) -> list[tuple[str, datetime]]:
    """(kind, created_at) of each batch queued since `since` with a message that did not
    arrive (unreachable or failed)."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT DISTINCT kind, created_at FROM outbox "
            "WHERE status IN ('unreachable', 'failed') AND created_at >= ?",
            (to_db_time(since),),
        )
    return [(row["kind"], from_db_time(row["created_at"])) for row in rows]


async def sent_without(conn: Connection, kind: str, field: str) -> list[OutboxMessage]:
    """Sent messages of `kind` whose payload has no `field` yet (e.g. progress messages
    whose broadcast has not been reported finished)."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT * FROM outbox WHERE kind = ? AND status = 'sent' "
            "AND json_extract(payload, '$.' || ?) IS NULL ORDER BY id",
            (kind, field),
        )
    return [_message(row) for row in rows]


async def mark_payload(conn: Connection, message_id: int, field: str, value: str | bool) -> None:
    """Remember `field` = `value` in the message's payload (delivery bookkeeping)."""
    async with conn.write() as tx:
        await _set_field_in(tx, message_id, field, value)


async def _set_field_in(conn: Connection, message_id: int, field: str, value: str | bool) -> None:
    await conn.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.' || ?, json(?)) WHERE id = ?",
        (field, dump_json(value), message_id),
    )


def _message(row: sqlite3.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        platform=row["platform"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=load_json_object(row["payload"]),
        dedupe_key=row["dedupe_key"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        last_error=row["last_error"],
        created_at=from_db_time(row["created_at"]),
        sent_at=optional_time(row["sent_at"]),
    )


# One kind's due rows: a range of the index `outbox_due_by_kind` (migration 0023), in order.
DUE_OF_KIND = "SELECT * FROM outbox WHERE status = 'pending' AND kind = ? AND next_attempt_at <= ?"


def due_of_kinds_query(kinds: int) -> str:
    """`due_of_kinds`'s statement for that many kinds: one range per kind, merged in order
    (with `kind IN (...)` SQLite preferred walking the whole due backlog in order)."""
    return " UNION ALL ".join([DUE_OF_KIND] * kinds) + " ORDER BY next_attempt_at, id LIMIT ?"


async def due_of_kinds(
    conn: Connection, kinds: Sequence[str], now: datetime, limit: int = 100
) -> list[OutboxMessage]:
    """Pending messages of `kinds` whose time has come, oldest first (the replies the sender
    takes ahead of a backlog of announcements due earlier)."""
    wanted = list(dict.fromkeys(kinds))  # a kind twice would return its rows twice
    if not wanted:
        return []
    at = to_db_time(now)
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            due_of_kinds_query(len(wanted)),
            (*(value for kind in wanted for value in (kind, at)), limit),
        )
    return [_message(row) for row in rows]


async def queued_after(
    conn: Connection, after_id: int, kinds: Sequence[str], now: datetime, limit: int = 100
) -> tuple[list[OutboxMessage], int]:
    """Pending messages of `kinds` due at `now` and queued after message `after_id` (a range
    of the primary key: cheap however long the backlog), oldest first; and the id of the
    newest message now in the outbox, to ask after next time."""
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT * FROM outbox WHERE id > ? AND +status = 'pending' AND next_attempt_at <= ? "
            "AND kind IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
            (after_id, to_db_time(now), dump_json(list(kinds)), limit),
        )
        [top] = await snap.fetch_all("SELECT MAX(id) AS id FROM outbox")
    return [_message(row) for row in rows], int(top["id"] or 0)


async def pending_among(conn: Connection, message_ids: Sequence[int]) -> set[int]:
    """Which of `message_ids` are still pending (one query, however many)."""
    if not message_ids:
        return set()
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT outbox.id FROM json_each(?) AS wanted CROSS JOIN outbox "
            "ON outbox.id = wanted.value WHERE outbox.status = 'pending'",
            (dump_json(list(message_ids)),),
        )
    return {int(row["id"]) for row in rows}


async def has_pending_of_kinds(
    conn: Connection, platform: str, chat_id: str, kinds: Sequence[str]
) -> bool:
    """Whether `chat_id` has a pending message of one of `kinds` (due or not)."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT 1 FROM outbox WHERE status = 'pending' AND +platform = ? AND chat_id = ? "
                "AND kind IN (SELECT value FROM json_each(?)) LIMIT 1",
                (platform, chat_id, dump_json(list(kinds))),
            )
        )
    return bool(rows)
