"""The sender's WhatsApp transport: the 24-hour window, templates, and the daily limit.

For each queued reply (`deliver`):

1. one person gets at most one message per `per_user_seconds` (Meta's pair rate); a message
   that comes too soon waits (`TransientDeliveryError` with `retry_after`);
2. inside the person's 24-hour window (their last message, `user_prefs.last_inbound_at`,
   less a safety margin) the reply goes as free-form messages, like a direct reply;
3. outside it, one template at a time: when a template went to the person a moment ago
   (`WhatsAppSettings.one_template_within`), they have not written since and Meta has not
   reported it failed, the reply is only held behind it
   (`storage.delivery.whatsapp_sends.hold_reply`). So what one batch (a close) queues for a
   person costs one template, and answering it brings the rest;
4. otherwise the approved template configured for the reply (`bot.whatsapp.settings`) is
   sent instead, and the full reply is held until the person answers. With no template
   configured for it at all, the person is unreachable for now ("outside_window").

Each template to someone not sent one in the last 24 hours takes a place of the tier's
daily limit. When none is left the reply waits for one (`bot.whatsapp.waiting`: held, so
that it goes at once as an ordinary message if the person writes first, and a stand-in
due when the first place frees up; never dropped), and the admins are told once a day
(whatsapp/limit_reached, through the outbox).

The ids (wamids) of what was sent are kept (`whatsapp_sends.record_sent`), so a "failed"
status Meta posts later finds its outbox row (`bot.whatsapp.failures`).

WhatsApp cannot edit a sent message: `edit` sends only the final state of a broadcast's
progress message (`done`), instead of one message per update.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from bot.delivery.pacing import Monotonic
from bot.delivery.transport import RecipientUnreachable, TransientDeliveryError
from bot.whatsapp.client import Messenger
from bot.whatsapp.inbound import PLATFORM
from bot.whatsapp.settings import WhatsAppSettings
from bot.whatsapp.template_messages import template_message
from bot.whatsapp.waiting import is_stand_in, still_held, wait_for_place, waiting_reply
from messages.formatting import JAKARTA
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox, whatsapp_sends
from storage.delivery.whatsapp_sends import SENT_AS_TEMPLATE, SENT_AS_TEXT
from storage.people import preferences, reps

LIMIT_NOTICE_KIND = "whatsapp_limit"
LIMIT_NOTICE = "whatsapp/limit_reached"
OUTSIDE_WINDOW = "outside_window"
_REMEMBERED_AT_MOST = 10_000  # people whose last template is remembered before pruning


@dataclass(frozen=True, slots=True)
class _Template:
    sent_at: datetime
    wamid: str


def utc_now() -> datetime:
    return datetime.now(UTC)


class WhatsAppTransport:
    def __init__(
        self,
        db: Database,
        messenger: Messenger,
        settings: WhatsAppSettings,
        *,
        daily_limit: int,
        default_language: str = "id",
        clock: Callable[[], datetime] = utc_now,
        monotonic: Monotonic = time.monotonic,
        zone: tzinfo = JAKARTA,
    ) -> None:
        self._db = db
        self._messenger = messenger
        self._settings = settings
        self._daily_limit = daily_limit
        self._default_language = default_language
        self._clock = clock
        self._monotonic = monotonic
        self._zone = zone  # the config's `timezone`: times in template parameters
        self._last_sent: dict[str, float] = {}
        self._templates: dict[str, _Template] = {}  # the last template sent to each person

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        now = self._clock()
        if is_stand_in(reply):
            return await self._place_freed(chat_id, waiting_reply(reply), now)
        if await self.in_window(chat_id, now):
            self._keep_pace(chat_id)
            sent = await self._messenger.send_reply(chat_id, reply, now)
            await whatsapp_sends.record_sent(self._db, chat_id, sent, SENT_AS_TEXT, now)
            return sent[-1] if sent else None
        if await self._behind_template(chat_id, now):
            await whatsapp_sends.hold_reply(self._db, chat_id, encode_reply(reply), now)
            return None
        self._keep_pace(chat_id)
        return await self._send_template(chat_id, reply, now)

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None:
        if reply.context.get("done") is False:
            return
        await self.deliver(chat_id, reply)

    async def in_window(self, user_id: str, now: datetime) -> bool:
        """Whether free-form messages may go: the person wrote within the window, and Meta
        has not refused one since as outside it (131047, `bot.whatsapp.failures`)."""
        last = (await preferences.get_prefs(self._db, PLATFORM, user_id)).last_inbound_at
        if last is None or now - last >= self._settings.window:
            return False
        refused = await whatsapp_sends.window_refused_at(self._db, user_id)
        return refused is None or last >= refused

    async def _behind_template(self, user_id: str, now: datetime) -> bool:
        """Whether a template went to the person within `one_template_within`, they have
        not written since, and Meta has not reported it failed: a reply waits behind it."""
        last = self._templates.get(user_id)
        if last is None or now - last.sent_at >= self._settings.one_template_within:
            return False
        written = (await preferences.get_prefs(self._db, PLATFORM, user_id)).last_inbound_at
        if written is not None and written >= last.sent_at:
            return False
        return await whatsapp_sends.unfailed_send(self._db, last.wamid) is not None

    async def _place_freed(self, chat_id: str, reply: Reply, now: datetime) -> str | None:
        """A stand-in came due (`bot.whatsapp.waiting`): `reply`'s template, unless the person
        wrote meanwhile (they have it) or a template they have not answered stands for it."""
        if not await still_held(self._db, chat_id, reply):
            return None
        if await self._behind_template(chat_id, now):
            return None
        self._keep_pace(chat_id)
        return await self._send_template(chat_id, reply, now)

    def _keep_pace(self, chat_id: str) -> None:
        now = self._monotonic()
        last = self._last_sent.get(chat_id)
        pace = self._settings.per_user_seconds
        if last is not None and now - last < pace:
            raise TransientDeliveryError("per-user pace", retry_after=last + pace - now)
        self._last_sent[chat_id] = now

    async def _send_template(self, chat_id: str, reply: Reply, now: datetime) -> str | None:
        spec = self._settings.template_for(reply.template)
        if spec is None:
            raise RecipientUnreachable(OUTSIDE_WINDOW)
        free_at = await whatsapp_sends.reserve_conversation(
            self._db, chat_id, spec.name, now, self._daily_limit
        )
        if free_at is not None:
            await wait_for_place(self._db, chat_id, reply, free_at, now)
            await self._tell_admins(free_at, now)
            return None
        await whatsapp_sends.hold_reply(self._db, chat_id, encode_reply(reply), now)
        own = reply.template in self._settings.templates
        message = template_message(spec, reply, own=own, zone=self._zone)
        sent = await self._messenger.send_template(chat_id, message)
        await whatsapp_sends.record_sent(self._db, chat_id, [sent], SENT_AS_TEMPLATE, now)
        self._remember_template(chat_id, _Template(now, sent))
        return sent

    def _remember_template(self, user_id: str, template: _Template) -> None:
        if len(self._templates) >= _REMEMBERED_AT_MOST:
            since = template.sent_at - self._settings.one_template_within
            self._templates = {k: t for k, t in self._templates.items() if t.sent_at > since}
        self._templates[user_id] = template

    async def _tell_admins(self, free_at: datetime, now: datetime) -> None:
        """Queue whatsapp/limit_reached to every admin, once per (UTC) day."""
        context = {"limit": self._daily_limit, "until": free_at}
        day = now.date().isoformat()
        for admin in await reps.list_admins(self._db):
            prefs = await preferences.get_prefs(self._db, admin.platform, admin.user_id)
            reply = Reply(LIMIT_NOTICE, context, prefs.language or self._default_language)
            key = f"{LIMIT_NOTICE_KIND}:{day}:{admin.platform}:{admin.user_id}"
            await outbox.enqueue(
                self._db, admin.platform, admin.user_id, LIMIT_NOTICE_KIND,
                encode_reply(reply), key, now,
            )  # fmt: skip
