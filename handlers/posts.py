"""Queueing the bot's own messages inside a transaction the caller already holds.

`handlers.announcements.queue` opens its own transaction; the close summaries must instead be
written by the `on_closed` hook inside the close transaction, and a reminder's reads and
writes belong in one transaction too. A `Post` is one outbox row: its dedupe key makes it
happen once however often the code that queues it runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage import outbox
from storage.database import Connection


@dataclass(frozen=True, slots=True)
class Post:
    platform: str
    chat_id: str
    kind: str
    dedupe_key: str
    reply: Reply
    export_round: int | None = None  # attach this round's workbook when sending


async def enqueue_posts(conn: Connection, posts: Iterable[Post], now: datetime) -> int:
    """Write every post in the caller's transaction; how many were new."""
    queued = 0
    for post in posts:
        payload = encode_reply(post.reply, export_round=post.export_round)
        if await outbox.enqueue(
            conn, post.platform, post.chat_id, post.kind, payload, post.dedupe_key, now
        ):
            queued += 1
    return queued
