"""Replies waiting for a place of the daily business-initiated limit.

When every place of the tier is taken, a reply that needs a template cannot go now. It is
not left pending with a `retry_after` of up to a day: the sender would hold the person's
whole chat that long (`bot.delivery.pacing.Pacer.hold`), so what they are sent when they
write (their held replies, released by `bot.whatsapp.adapter`) would wait behind it, and
by the time a place freed up the window would have closed again. Instead (`wait_for_place`,
one transaction):

- the reply is held like one whose template went (`whatsapp_sends.hold_reply`): when the
  person writes, it goes at once, as an ordinary message inside the window;
- a stand-in is queued: the same reply marked as waiting (`is_stand_in`), kind
  `whatsapp_waiting`, due when the first place frees up (`outbox.postpone`). When it comes
  due, the transport sends the reply's template only if the reply is still held
  (`still_held`): if the person wrote meanwhile, they have it already and the stand-in ends
  there. With no place free yet, another stand-in waits for the next one.

So the reply's own outbox row counts as sent, like one whose template went; the stand-ins
are what still waits (`outbox.delivery_counts(kind_prefix=WAITING_KIND)`).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from bot.whatsapp.inbound import PLATFORM
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox, whatsapp_sends
from storage.delivery.whatsapp_sends import WAITING_KIND

_MARK = "whatsapp_waiting_for_place"  # in a stand-in's context


def is_stand_in(reply: Reply) -> bool:
    return reply.context.get(_MARK) is True


def waiting_reply(stand_in: Reply) -> Reply:
    """The reply a stand-in waits to send."""
    context = {key: value for key, value in stand_in.context.items() if key != _MARK}
    return replace(stand_in, context=context)


async def wait_for_place(
    db: Database, user_id: str, reply: Reply, free_at: datetime, now: datetime
) -> None:
    """Hold `reply` for `user_id` and queue its stand-in, due at `free_at`."""
    stand_in = replace(reply, context={**reply.context, _MARK: True})
    key = f"{WAITING_KIND}:{user_id}:{uuid.uuid4().hex}"
    async with db.transaction() as tx:
        await whatsapp_sends.hold_reply(tx, user_id, encode_reply(reply), now)
        await outbox.enqueue(tx, PLATFORM, user_id, WAITING_KIND, encode_reply(stand_in), key, now)
        for row_id in await outbox.statuses_with_prefix(tx, key):
            await outbox.postpone(tx, row_id, free_at)


async def still_held(db: Database, user_id: str, reply: Reply) -> bool:
    """Whether `reply` is still held for `user_id` (they have not written since)."""
    return encode_reply(reply) in await whatsapp_sends.held_replies(db, user_id)
