"""One incoming WhatsApp message, handled: the same handlers as Telegram, replies sent back.

For each message (`Receiver.receive`), one person's messages strictly in order:

1. a message seen before (Meta delivers again when unsure) is skipped (`seen_update`);
2. the sender's ids are stored (`storage.delivery.whatsapp.remember_identity`) and their 24-hour
   window opens (`record_inbound`);
3. replies held back while only a template could be sent, or while no place of the daily
   limit was free for one, move into the outbox, now that free-form messages are allowed
   again (`release_held`), and the sender is woken;
4. a bare number answers the numbered options sent last; the "show me" button of a
   template asks only for the held replies (nothing held: the main menu); anything else
   goes to `handlers.router` (an admin's document fetched first, `bot.whatsapp.documents`,
   and thrown away once the replies are sent);
5. the replies are sent at once. If the Graph API cannot be reached, the order is already
   recorded: the replies not sent go into the outbox, rendered already (`frozen_reply`:
   a handler's context may hold domain objects), keyed by the message id, so the sender
   retries them later and nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from bot.delivery.transport import MessageRejected, RecipientUnreachable, TransientDeliveryError
from bot.whatsapp.client import Messenger
from bot.whatsapp.documents import received_document
from bot.whatsapp.inbound import PLATFORM, InboundMessage
from bot.whatsapp.rendering import frozen_reply
from bot.whatsapp.template_messages import SHOW_HELD
from handlers import router
from handlers.contract.events import IncomingEvent
from handlers.contract.services import Services
from handlers.treasurer.proof import is_proof_file
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.delivery import outbox, updates, whatsapp, whatsapp_sends
from storage.people import preferences, reps

log = logging.getLogger(__name__)

REPLY_KIND = "whatsapp_reply"


@dataclass
class Receiver:
    services: Services
    messenger: Messenger
    notify: Callable[[], None] | None = None
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _waiting: dict[str, int] = field(default_factory=dict)

    async def receive(self, message: InboundMessage) -> None:
        async with self._one_at_a_time(message.wa_id or message.bsuid or ""):
            await self._receive(message)

    async def _receive(self, message: InboundMessage) -> None:
        services, db = self.services, self.services.db
        now = services.now()
        if await updates.seen_update(db, PLATFORM, message.message_id, now):
            log.info("WhatsApp message %s was delivered again; skipped", message.message_id)
            return
        try:
            user_id = await whatsapp.remember_identity(
                db, message.wa_id, message.bsuid, message.parent_bsuid, now
            )
            await self._open_window(user_id, message)
            released = await whatsapp_sends.release_held(db, PLATFORM, user_id, now)
        except BaseException:
            # Nothing of this message was acted on: let Meta's retry of it count.
            await updates.forget_update(db, PLATFORM, message.message_id)
            raise
        if released and self.notify is not None:
            self.notify()
        event = message.event(user_id)
        if event is None or (event.payload == SHOW_HELD and released):
            return
        if event.payload == SHOW_HELD:  # "Tampilkan" with nothing held (any more): the menu
            event = replace(event, payload=None, text="/start")
        document = message.document  # fetched for an admin or a treasurer, kept until replied
        fetch = document is not None and await reps.may_send_files(
            db, PLATFORM, user_id, as_treasurer=is_proof_file(document.name)
        )
        client = self.messenger.client
        async with received_document(client, event, document, fetch=fetch) as event:
            replies = await router.handle(services, await self._numbered(event))
            await self.send(user_id, replies, message.message_id)
        if self.notify is not None:
            self.notify()  # what the message queued for others (a proof, a broadcast) goes now

    async def _open_window(self, user_id: str, message: InboundMessage) -> None:
        db, now = self.services.db, self.services.now()
        written = min(message.sent_at or now, now)
        last = (await preferences.get_prefs(db, PLATFORM, user_id)).last_inbound_at
        if last is None or written > last:
            await preferences.record_inbound(db, PLATFORM, user_id, written)

    async def _numbered(self, event: IncomingEvent) -> IncomingEvent:
        """A bare number answering numbered options becomes a press of that option."""
        text = (event.text or "").strip()
        if not text.isdigit() or len(text) > 3:
            return event
        payload = await whatsapp.numbered_option(self.services.db, event.user_id, int(text))
        return event if payload is None else replace(event, text=None, payload=payload)

    async def send(self, user_id: str, replies: Sequence[Reply], message_id: str) -> None:
        """Send `replies` in order; those the Graph API did not take wait in the outbox."""
        for index, reply in enumerate(replies):
            try:
                await self.messenger.send_reply(user_id, reply, self.services.now())
            except TransientDeliveryError as error:
                log.warning("replying to %s failed (%s); queued for later", message_id, error)
                await self._queue(user_id, replies[index:], message_id, index)
                return
            except (RecipientUnreachable, MessageRejected) as error:
                log.error("WhatsApp refused a reply to %s: %s", message_id, error)

    async def _queue(
        self, user_id: str, replies: Sequence[Reply], message_id: str, first: int
    ) -> None:
        now = self.services.now()
        async with self.services.db.transaction() as conn:
            for index, reply in enumerate(replies, start=first):
                key = f"{REPLY_KIND}:{message_id}:{index}"
                payload = encode_reply(frozen_reply(self.messenger.renderer, reply))
                await outbox.enqueue(conn, PLATFORM, user_id, REPLY_KIND, payload, key, now)
        if self.notify is not None:
            self.notify()

    @asynccontextmanager
    async def _one_at_a_time(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key], self._locks[key]
