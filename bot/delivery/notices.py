"""Telling the admins who did not get a message: one notice per batch, not one per failure.

A batch is the rows queued together (same kind, same `created_at`: one broadcast, one kind
of summary). When a row finishes the sender `touch`es its batch; `flush` then looks at every
touched batch, and once none of its rows is pending and some did not arrive (unreachable or
failed for good) it queues `delivery_undelivered` to every admin, naming those recipients.
The notice's dedupe key is made of the batch, so looking again queues nothing new. On the
first flush, batches of the last day with a failure are looked at too, in case the sender
stopped between a batch's last row and its notice. A message reported undelivered only
after it was sent (`late`) gets a notice of its own when its batch's went already.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.delivery.progress import PROGRESS_KIND
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, OutboxMessage
from storage.encoding import to_db_time
from storage.people import preferences, reps

NOTICE_KIND = "delivery_undelivered"
TEMPLATE = "delivery_undelivered"
NAMED_AT_MOST = 30
LOOK_BACK = timedelta(days=1)
PREVIEW_CHARS = 80
_NOT_ARRIVED = (DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED)
_KNOWN_REASONS = ("blocked", "chat_not_found")

Batch = tuple[str, datetime]


class UndeliveredNotices:
    def __init__(self, db: Database, default_language: str) -> None:
        self._db = db
        self._default_language = default_language
        self._touched: set[Batch] = set()
        self._looked_back = False

    def touch(self, row: OutboxMessage) -> None:
        if row.kind not in (NOTICE_KIND, PROGRESS_KIND):
            self._touched.add((row.kind, row.created_at))

    async def flush(self, now: datetime) -> int:
        """Queue the notices owed for finished batches; how many rows were queued."""
        if not self._looked_back:
            self._looked_back = True
            for kind, created_at in await outbox.batches_with_failures(self._db, now - LOOK_BACK):
                if kind not in (NOTICE_KIND, PROGRESS_KIND):
                    self._touched.add((kind, created_at))
        touched, self._touched = self._touched, set()
        queued = 0
        for kind, created_at in sorted(touched):
            rows = await outbox.batch(self._db, kind, created_at)
            missed = [row for row in rows if row.status in _NOT_ARRIVED]
            finished = all(row.status is not DeliveryStatus.PENDING for row in rows)
            if finished and missed:
                queued += await self._queue(kind, created_at, rows, missed, now)
        return queued

    async def late(self, message_id: int, kind: str, created_at: datetime, now: datetime) -> int:
        """A message of a batch was reported undelivered after it was sent (WhatsApp's
        "failed" status). If its batch is still going, its own notice will name it; if the
        batch's notice is owed, it is queued now; if it went already, one more names just
        this message (once, however often the failure is reported)."""
        rows = await outbox.batch(self._db, kind, created_at)
        if any(row.status is DeliveryStatus.PENDING for row in rows):
            return 0
        missed = [row for row in rows if row.status in _NOT_ARRIVED]
        queued = await self._queue(kind, created_at, rows, missed, now)
        mine = [row for row in missed if row.id == message_id]
        if queued or not mine:
            return queued
        return await self._queue(kind, created_at, rows, mine, now, f":late:{message_id}")

    async def _queue(
        self,
        kind: str,
        created_at: datetime,
        rows: list[OutboxMessage],
        missed: list[OutboxMessage],
        now: datetime,
        key_suffix: str = "",
    ) -> int:
        names = await _names(self._db)
        context = {
            "kind": kind,
            "preview": _preview(rows[0]),
            "queued_at": created_at,
            "total": len(rows),
            "count": len(missed),
            "recipients": [_recipient(row, names) for row in missed[:NAMED_AT_MOST]],
            "more": max(0, len(missed) - NAMED_AT_MOST),
        }
        batch_key = f"undelivered:{kind}:{to_db_time(created_at)}{key_suffix}"
        queued = 0
        for admin in await reps.list_admins(self._db):
            prefs = await preferences.get_prefs(self._db, admin.platform, admin.user_id)
            reply = Reply(TEMPLATE, context, prefs.language or self._default_language)
            key = f"{batch_key}:{admin.platform}:{admin.user_id}"
            if await outbox.enqueue(
                self._db, admin.platform, admin.user_id, NOTICE_KIND, encode_reply(reply), key, now
            ):
                queued += 1
        return queued


async def _names(db: Database) -> dict[tuple[str, str], str]:
    """Who is behind each private chat we know: reps (with their coop) and admins."""
    names: dict[tuple[str, str], str] = {}
    for admin in await reps.list_admins(db):
        if admin.display_name:
            names[(admin.platform, admin.user_id)] = admin.display_name
    for rep in await reps.all_reps(db):
        known = names.get((rep.platform, rep.user_id))
        label = f"{rep.display_name or rep.user_id} ({rep.coop_code})"
        names[(rep.platform, rep.user_id)] = label if known is None else f"{known}, {rep.coop_code}"
    return names


def _recipient(row: OutboxMessage, names: dict[tuple[str, str], str]) -> dict[str, object]:
    if row.status is DeliveryStatus.FAILED:
        reason = "failed"
    else:
        reason = row.last_error if row.last_error in _KNOWN_REASONS else "unreachable"
    return {
        "name": names.get((row.platform, row.chat_id), ""),
        "platform": row.platform,
        "chat_id": row.chat_id,
        "reason": reason,
    }


def _preview(row: OutboxMessage) -> str:
    """The start of a broadcast's text, so the admins know which message it was."""
    context = row.payload.get("context")
    text = context.get("text") if isinstance(context, dict) else None
    if not isinstance(text, str):
        return ""
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
