"""A broadcast's progress message ("Terkirim 40/100 · 2 gagal"), edited in place.

The broadcast handler queues a row of kind `PROGRESS_KIND` for the admin's chat before the
broadcast's own rows; its payload names their dedupe prefix under `PROGRESS_OF`
("broadcast:<id>:"). Once that row is sent (and the platform's message id remembered in it),
`ProgressReports` counts the broadcast's rows as they finish and edits the message at most
every `every` seconds, and once more, at once, when none is pending; then it marks the
progress row done. Edits are `Dispatcher` jobs, paced like any message to that chat. After
a restart, progress rows sent but not done are picked up again (`resume`).

An edit that fails for a passing reason (`TransientDeliveryError`: the Bot API unreachable,
a 5xx, a timeout) is tried again later, after `every`, then twice as long each time up to
`RETRY_AT_MOST` seconds (after a 429, when the platform said), and never given up: an
outage must not leave the admin looking at "Terkirim 0/61 …" once every row arrived. An
edit the platform refuses for good (the message was deleted, the admin blocked the bot) or
one that fails unexpectedly ends the reports of that broadcast. "Message is not modified"
(the text shown already, e.g. an edit repeated after its answer was lost) is a success; the
transport does not report it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from bot.delivery.dispatch import Dispatcher, Job
from bot.delivery.pacing import Monotonic
from bot.delivery.transport import (
    EditingTransport,
    MessageRejected,
    RecipientUnreachable,
    TransientDeliveryError,
    Transport,
)
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, OutboxMessage

log = logging.getLogger(__name__)

PROGRESS_KIND = "broadcast_progress"
PROGRESS_OF = "progress_of"
TEMPLATE = "delivery_progress"
RETRY_AT_MOST = 60.0  # seconds between two tries of an edit that keeps failing


@dataclass(eq=False)
class Tracked:
    row: OutboxMessage
    prefix: str
    message_id: str
    statuses: dict[int, DeliveryStatus] = field(default_factory=dict)
    last_edit: float = 0.0
    job: Job | None = None
    dirty: bool = True
    failures: int = 0  # edits failed in a row for a passing reason
    retry_at: float = 0.0  # no edit before this (after a failed one)

    @property
    def done(self) -> bool:
        return DeliveryStatus.PENDING not in self.statuses.values()

    def context(self) -> dict[str, object]:
        counted = list(self.statuses.values())
        return {
            "sent": counted.count(DeliveryStatus.SENT),
            "failed": sum(status in _NOT_ARRIVED for status in counted),
            "total": len(counted),
            "done": self.done,
        }


_NOT_ARRIVED = (DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED)


class ProgressReports:
    def __init__(
        self,
        db: Database,
        transports: Mapping[str, Transport],
        dispatcher: Dispatcher,
        clock: Monotonic,
        every: float = 2.0,
    ) -> None:
        self._db = db
        self._transports = transports
        self._dispatcher = dispatcher
        self._clock = clock
        self.every = every
        self._tracked: dict[str, Tracked] = {}
        self._loaded = False

    def due_in(self) -> float | None:
        """Seconds until an edit that is owed but not queued may go (None: none is owed)."""
        owed = [self._not_before(t) for t in self._tracked.values() if t.dirty and t.job is None]
        return max(min(owed) - self._clock(), 0.0) if owed else None

    async def resume(self) -> None:
        """Queue the edits still owed (after a restart: of every unfinished progress row)."""
        if not self._loaded:
            self._loaded = True
            for row in await outbox.sent_without(self._db, PROGRESS_KIND, outbox.PROGRESS_DONE):
                await self.started(row, str(row.payload.get(outbox.SENT_MESSAGE_ID) or ""))
        for tracked in self._tracked.values():
            if tracked.dirty:
                self._schedule(tracked)

    async def started(self, row: OutboxMessage, message_id: str | None) -> None:
        """The progress row `row` was sent and became the platform's `message_id`."""
        prefix = row.payload.get(PROGRESS_OF)
        if not isinstance(prefix, str) or not prefix:
            return
        tracked = Tracked(row, prefix, message_id or "", last_edit=self._clock())
        self._tracked[prefix] = tracked
        for row_id, status in (await outbox.statuses_with_prefix(self._db, prefix)).items():
            tracked.statuses.setdefault(row_id, status)
        self._schedule(tracked)

    def note(self, row: OutboxMessage, status: DeliveryStatus) -> None:
        """A row finished: count it for the broadcast it belongs to, if one is followed."""
        for tracked in self._tracked.values():
            if row.dedupe_key.startswith(tracked.prefix):
                tracked.statuses[row.id] = status
                tracked.dirty = True
                self._schedule(tracked)

    def _not_before(self, tracked: Tracked) -> float:
        paced = 0.0 if tracked.done else tracked.last_edit + self.every
        return max(paced, tracked.retry_at)

    def _schedule(self, tracked: Tracked) -> None:
        not_before = self._not_before(tracked)
        if tracked.job is not None:
            tracked.job.not_before = min(tracked.job.not_before, not_before)
            return
        tracked.job = Job(
            tracked.row.platform,
            tracked.row.chat_id,
            run=partial(self._edit, tracked),
            later=partial(self._later, tracked),
            not_before=not_before,
            first=True,
        )
        self._dispatcher.add(tracked.job)

    async def _later(self, tracked: Tracked, seconds: float) -> None:
        """The chat opens (or the retry is due) in `seconds`: `resume` queues the edit again
        on a pass from then on."""
        tracked.job = None
        tracked.retry_at = max(tracked.retry_at, self._clock() + seconds)

    async def _edit(self, tracked: Tracked) -> float | None:
        tracked.dirty = False
        context = tracked.context()
        reply = Reply(TEMPLATE, context, str(tracked.row.payload.get("language", "id")))
        try:
            await self._show(tracked, reply)
        except TransientDeliveryError as error:
            tracked.job = None
            tracked.dirty = True
            if error.retry_after is None:  # a platform asking us to slow down is no failure
                tracked.failures += 1
            delay = self._retry_delay(tracked.failures, error.retry_after)
            tracked.retry_at = self._clock() + delay
            log.debug(
                "editing progress message %s failed (%s); trying again in %.0f s",
                tracked.message_id,
                error,
                delay,
            )
            self._schedule(tracked)
            return error.retry_after
        except (MessageRejected, RecipientUnreachable) as error:
            log.warning("progress message %s refused (%s); giving up", tracked.message_id, error)
            tracked.job = None
            await self._finish(tracked)
            return None
        except Exception:
            log.exception("editing progress message %s failed; giving up", tracked.message_id)
            tracked.job = None
            await self._finish(tracked)
            return None
        tracked.job = None
        tracked.failures = 0
        tracked.last_edit = self._clock()
        if context["done"]:
            await self._finish(tracked)
        elif tracked.dirty:
            self._schedule(tracked)
        return None

    def _retry_delay(self, failures: int, retry_after: float | None) -> float:
        """Seconds before a failed edit is tried again: what the platform said, else `every`
        doubled after each failure in a row, at most `RETRY_AT_MOST`."""
        if retry_after is not None:
            return retry_after
        return min(self.every * 2.0 ** min(max(failures - 1, 0), 20), RETRY_AT_MOST)

    async def _show(self, tracked: Tracked, reply: Reply) -> None:
        transport = self._transports[tracked.row.platform]
        if tracked.message_id and isinstance(transport, EditingTransport):
            await transport.edit(tracked.row.chat_id, tracked.message_id, reply)
        else:
            await transport.deliver(tracked.row.chat_id, reply)

    async def _finish(self, tracked: Tracked) -> None:
        self._tracked.pop(tracked.prefix, None)
        await outbox.mark_payload(self._db, tracked.row.id, outbox.PROGRESS_DONE, True)
