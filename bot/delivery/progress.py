"""A broadcast's progress message ("Terkirim 40/100 · 2 gagal"), edited in place.

The broadcast handler queues a row of kind `PROGRESS_KIND` for the admin's chat before the
broadcast's own rows; its payload names their dedupe prefix under `PROGRESS_OF`
("broadcast:<id>:"). Once that row is sent (and the platform's message id remembered in it),
`ProgressReports` counts the broadcast's rows as they finish and edits the message at most
every `every` seconds, and once more, at once, when none is pending; then it marks the
progress row done. Edits are `Dispatcher` jobs, paced like any message to that chat. After
a restart, progress rows sent but not done are picked up again (`resume`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from bot.delivery.dispatch import Dispatcher, Job
from bot.delivery.pacing import Monotonic
from bot.delivery.transport import EditingTransport, TransientDeliveryError, Transport
from messages.replies import Reply
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, OutboxMessage

log = logging.getLogger(__name__)

PROGRESS_KIND = "broadcast_progress"
PROGRESS_OF = "progress_of"
TEMPLATE = "delivery_progress"
_GIVE_UP_AFTER = 5  # failed edits


@dataclass(eq=False)
class Tracked:
    row: OutboxMessage
    prefix: str
    message_id: str
    statuses: dict[int, DeliveryStatus] = field(default_factory=dict)
    last_edit: float = 0.0
    job: Job | None = None
    dirty: bool = True
    failures: int = 0

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

    @property
    def waiting(self) -> bool:
        """Whether some progress message still needs an edit that is not queued."""
        return any(t.dirty and t.job is None for t in self._tracked.values())

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

    def _schedule(self, tracked: Tracked) -> None:
        not_before = 0.0 if tracked.done else tracked.last_edit + self.every
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
        tracked.job = None  # `resume` queues it again on the next pass

    async def _edit(self, tracked: Tracked) -> float | None:
        tracked.dirty = False
        context = tracked.context()
        reply = Reply(TEMPLATE, context, str(tracked.row.payload.get("language", "id")))
        try:
            await self._show(tracked, reply)
        except TransientDeliveryError as error:
            tracked.job = None
            tracked.failures += 1
            tracked.dirty = True
            if tracked.failures >= _GIVE_UP_AFTER:
                await self._finish(tracked)
            else:
                tracked.last_edit = self._clock()
                self._schedule(tracked)
            return error.retry_after
        except Exception:
            log.exception("editing progress message %s failed; giving up", tracked.message_id)
            tracked.job = None
            await self._finish(tracked)
            return None
        tracked.job = None
        tracked.last_edit = self._clock()
        if context["done"]:
            await self._finish(tracked)
        elif tracked.dirty:
            self._schedule(tracked)
        return None

    async def _show(self, tracked: Tracked, reply: Reply) -> None:
        transport = self._transports[tracked.row.platform]
        if tracked.message_id and isinstance(transport, EditingTransport):
            await transport.edit(tracked.row.chat_id, tracked.message_id, reply)
        else:
            await transport.deliver(tracked.row.chat_id, reply)

    async def _finish(self, tracked: Tracked) -> None:
        self._tracked.pop(tracked.prefix, None)
        await outbox.mark_payload(self._db, tracked.row.id, outbox.PROGRESS_DONE, True)
