"""Acting on Meta's "failed" statuses: a message the Graph API took (its outbox row is
marked sent) that Meta could not deliver after all. docs/whatsapp.md has the same table.

| code | Meta means | the outbox row |
| --- | --- | --- |
| 131047 | the 24-hour window had closed | due again at once; the window counts as closed |
| 131026, 131030, 131049, 131050 | the person cannot get it | unreachable; admins told |
| 130429, 80007, 131056, 131048 | too many messages | due again after a pause |
| anything else | — | unchanged (logged) |

After 131047 the window counts as closed until the person writes again
(`storage.delivery.whatsapp_sends.window_refused_at`), so the transport sends the row again the way
it sends anything outside the window: the approved template, the full message held. The
pause after throttling is the one `bot.whatsapp.errors` waits for the same code, or the
sender's backoff when that is longer. A row that has used the sender's attempts fails
instead of going again. Admins hear of an unreachable or failed row through the sender's
notices (`UndeliveredNotices.late`). Each message's failure is acted on once
(`take_back`), so a repeated status changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import partial

from bot.delivery.notices import UndeliveredNotices
from bot.delivery.sender import Backoff
from bot.whatsapp.errors import PAIR_RATE_SECONDS, RATE_LIMIT_SECONDS, SPAM_LIMIT_SECONDS
from bot.whatsapp.statuses import FailedStatus
from storage.database import Database
from storage.delivery import outbox, whatsapp_sends
from storage.delivery.outbox import DeliveryStatus, OutboxMessage

log = logging.getLogger(__name__)

PLATFORM = "whatsapp"
# A status naming a message whose row is still not marked sent after this long is not
# waited for again (the sender died between the send and the mark; the row goes again).
MARKING_TAKES_AT_MOST = timedelta(minutes=10)


class StatusBeforeSent(Exception):
    """A status about a message whose outbox row the sender has not marked sent yet."""


@dataclass(frozen=True, slots=True)
class ReturnedMessage:
    """A message Meta took and later reported failed, with the outbox row it was sent for."""

    wamid: str
    code: int
    sent_as: str
    sent_at: datetime
    row: OutboxMessage


@dataclass(frozen=True, slots=True)
class Return:
    """Where the row goes: pending again from `next_at`, unreachable or failed."""

    status: DeliveryStatus
    error: str
    next_at: datetime


async def take_back(
    db: Database,
    wamid: str,
    code: int,
    now: datetime,
    decide: Callable[[ReturnedMessage], Return],
) -> tuple[ReturnedMessage, Return] | None:
    """Record that `wamid` failed with `code` and move its outbox row as `decide` says, in ONE
    transaction.

    None, and nothing changes, when the sender did not send `wamid`, a failure of it was
    recorded before (a repeated status), or its row is no longer marked sent as that send
    (another part of the same reply came back first, or it was sent again since).

    Raises StatusBeforeSent, changing nothing, when `wamid` was sent a moment ago but its
    outbox row is not marked sent yet (the sender marks it right after Graph answered, and
    the status can overtake that): answering the webhook with an error makes Meta deliver
    the status again, by which time the row is marked.
    """
    async with db.transaction() as tx:
        sent = await whatsapp_sends.unfailed_send(tx, wamid)
        if sent is None:
            return None
        row = await outbox.sent_as(tx, PLATFORM, sent.outbox_wamid)
        if row is None:
            marked = await outbox.ever_sent_as(tx, PLATFORM, sent.outbox_wamid)
            if not marked and now - sent.sent_at <= MARKING_TAKES_AT_MOST:
                raise StatusBeforeSent(wamid)
            return None
        returned = ReturnedMessage(wamid, code, sent.sent_as, sent.sent_at, row)
        decision = decide(returned)
        await outbox.mark_returned(tx, row.id, decision.status, decision.error, decision.next_at)
        await whatsapp_sends.record_failure(tx, wamid, code, now)
    return returned, decision


class Remedy(Enum):
    RESEND = "resend"
    UNREACHABLE = "unreachable"
    RETRY = "retry"


PAUSES: Mapping[int, float] = {
    130429: RATE_LIMIT_SECONDS,
    80007: RATE_LIMIT_SECONDS,
    131056: PAIR_RATE_SECONDS,
    131048: SPAM_LIMIT_SECONDS,
}
REMEDIES: Mapping[int, Remedy] = {
    whatsapp_sends.WINDOW_CLOSED: Remedy.RESEND,
    131026: Remedy.UNREACHABLE,  # not a WhatsApp user, or an app too old
    131030: Remedy.UNREACHABLE,  # not in a test number's allowed list
    131049: Remedy.UNREACHABLE,  # Meta keeps the person's marketing messages down
    131050: Remedy.UNREACHABLE,  # the person stopped marketing messages
    **dict.fromkeys(PAUSES, Remedy.RETRY),
}


class FailedStatuses:
    def __init__(
        self,
        db: Database,
        *,
        backoff: Backoff,
        default_language: str,
        clock: Callable[[], datetime],
        notify: Callable[[], None] | None = None,
    ) -> None:
        """`notify` wakes the sender (a row is due again, or admins' notices were queued)."""
        self._db = db
        self._backoff = backoff
        self._clock = clock
        self._notify = notify
        self._notices = UndeliveredNotices(db, default_language)

    async def failed(self, status: FailedStatus) -> None:
        log.warning(
            "WhatsApp could not deliver message %s to %s: %s %s",
            status.wamid, status.recipient, status.reason, status.details,
        )  # fmt: skip
        remedy = REMEDIES.get(status.code)
        if remedy is None:
            log.warning(
                "WhatsApp error code %s (message %s) is not one the bot acts on; nothing changed",
                status.code, status.wamid,
            )  # fmt: skip
            return
        now = self._clock()
        decide = partial(self._decide, remedy, status, now)
        taken = await take_back(self._db, status.wamid, status.code, now, decide)
        if taken is None:
            log.info("failure of WhatsApp message %s: not an outbox send, or handled", status.wamid)
            return
        returned, decision = taken
        log.info("outbox message %s is %s again", returned.row.id, decision.status.value)
        if decision.status is not DeliveryStatus.PENDING:
            row = returned.row
            await self._notices.late(row.id, row.kind, row.created_at, now)
        if self._notify is not None:
            self._notify()

    def _decide(
        self, remedy: Remedy, status: FailedStatus, now: datetime, returned: ReturnedMessage
    ) -> Return:
        attempts = returned.row.attempts
        if remedy is Remedy.UNREACHABLE:
            return Return(DeliveryStatus.UNREACHABLE, status.reason, now)
        if attempts >= self._backoff.max_attempts:
            return Return(DeliveryStatus.FAILED, status.reason, now)
        if remedy is Remedy.RESEND:
            return Return(DeliveryStatus.PENDING, status.reason, now)
        pause = max(PAUSES[status.code], self._backoff.delay(attempts).total_seconds())
        return Return(DeliveryStatus.PENDING, status.reason, now + timedelta(seconds=pause))
