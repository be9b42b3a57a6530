"""Staff broadcast a message to every rep and every linked group (`/siaran TEKS`)."""

from __future__ import annotations

from dataclasses import dataclass

from usecases.context import UseCaseContext
from usecases.notices.announcements import broadcast_posts
from usecases.notices.audience import Recipient, group_recipients, once, rep_recipients
from usecases.notices.posts import queue_posts


@dataclass(frozen=True, slots=True)
class BroadcastQueued:
    queued: int  # new messages (0 when the same broadcast was queued before)
    recipients: int


async def broadcast(
    ctx: UseCaseContext, broadcast_id: str, text: str, admin: Recipient
) -> BroadcastQueued:
    """Queue `text` to every rep and linked group in ONE transaction, after the progress
    message for the admin's chat that the sender edits as it goes out. `broadcast_id` is
    stable for one request, so handling it twice queues it once."""
    async with ctx.db.transaction() as tx:
        readers = once(
            [
                *await rep_recipients(tx, ctx.default_language),
                *await group_recipients(tx, ctx.default_language),
            ]
        )
        progress, *messages = broadcast_posts(broadcast_id, text, admin, readers)
        await queue_posts(tx, [progress], ctx.now())
        queued = await queue_posts(tx, messages, ctx.now())
    return BroadcastQueued(queued, len(readers))
