"""Queueing again the messages the sender gave up on (`belanja-bareng outbox retry`).

The sender tries a message that meets only temporary errors for about a day
(`[sending] max_attempts`, docs/delivery.md), then marks it failed and tells the admins. An
outage longer than that (or a config that gives up sooner) leaves failed rows behind:
`retry_failed` makes them pending again, with their attempts anew, and the running bot's
sender takes them at its next look (within seconds). Reminders and nudges stay failed: a
late one is out of date, and the next reminder comes by itself. Messages that were refused
for good (a bad request) fail again at once; those to people who blocked the bot
(`unreachable`) and those withdrawn are not touched.
"""

from __future__ import annotations

from datetime import datetime

from storage.delivery import outbox
from usecases.context import UseCaseContext

NOT_AGAIN = ("reminder", "nudge")  # kinds out of date once late


async def retry_failed(ctx: UseCaseContext, since: datetime | None = None) -> int:
    """Queue again the failed messages queued at or after `since` (every one, when None),
    but reminders and nudges; how many."""
    async with ctx.db.transaction() as tx:
        return await outbox.requeue_failed(tx, since, ctx.now(), NOT_AGAIN)
