"""Running the sender against the fake Bot API in virtual time.

`VirtualTime` is one clock for the sender (wall and monotonic) and the fake's rate limits.
Its `sleep` first waits until no send of the senders it `watch`es is under way (request and
marking), then moves time on at once: the network and the database take no time, the
pacing is exact, and tests never wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from bot.config import Secret, TelegramConfig
from bot.delivery.sender import Delivery
from bot.delivery.transport import EditingTransport
from bot.telegram.delivery import TelegramTransport, delivery_bot
from handlers.contract.services import Services
from messages.render import Renderer
from messages.replies import Reply
from purchasing.model import Rep
from storage.database import Database
from storage.delivery import outbox
from storage.people import groups, reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.storage_builders import COOPS, seed_catalog

FIRST_CHAT = 1001
GROUP_IDS = (-100_001, -100_002)
ADMIN_IDS = (9001, 9002)


class VirtualTime:
    def __init__(self, start: datetime = NOW) -> None:
        self.start = start
        self.elapsed = 0.0
        self._senders: list[Delivery] = []

    def watch(self, sender: Delivery) -> Delivery:
        self._senders.append(sender)
        return sender

    def monotonic(self) -> float:
        return 1_000.0 + self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def wall(self, monotonic: float) -> datetime:
        """The wall time of a `monotonic()` reading (e.g. when the fake got a call)."""
        return self.start + timedelta(seconds=monotonic - self.monotonic() + self.elapsed)

    def advance(self, seconds: float) -> None:
        self.elapsed += max(seconds, 0.0)

    async def sleep(self, seconds: float) -> None:
        # A yield, not a wait: the senders' sends finish meanwhile.
        while any(sender.in_flight for sender in self._senders):  # noqa: ASYNC110
            await asyncio.sleep(0)
        self.advance(seconds)
        await asyncio.sleep(0)


class PluggedTransport:
    """A transport that runs `after_deliver` after each successful delivery (a test may
    pull the plug there, between the send and its mark)."""

    def __init__(
        self, inner: EditingTransport, after_deliver: Callable[[str], Awaitable[None]]
    ) -> None:
        self.inner = inner
        self.after_deliver = after_deliver

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        sent = await self.inner.deliver(chat_id, reply)
        await self.after_deliver(chat_id)
        return sent

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None:
        await self.inner.edit(chat_id, message_id, reply)


def telegram_config(fake: FakeTelegram) -> TelegramConfig:
    return TelegramConfig(
        token=Secret(fake.token), base_url=fake.base_url, base_file_url=fake.base_file_url
    )


@asynccontextmanager
async def telegram_transport(fake: FakeTelegram) -> AsyncIterator[TelegramTransport]:
    """The real Telegram transport (a PTB Bot over HTTP) talking to `fake`."""
    bot = delivery_bot(telegram_config(fake), read_timeout=0.5)
    async with bot:
        yield TelegramTransport(bot, Renderer())


async def seed_audience(db: Database, chats: int, *, with_groups: bool = True) -> list[int]:
    """`chats` treasurers (private chats FIRST_CHAT...), the linked groups, the admins."""
    await seed_catalog(db)
    ids = list(range(FIRST_CHAT, FIRST_CHAT + chats))
    for index, user_id in enumerate(ids):
        coop = COOPS[index % len(COOPS)].code
        rep = Rep("telegram", str(user_id), coop, display_name=f"Bendahara {user_id}")
        await reps.add_rep(db, rep, NOW)
    if with_groups:
        for group_id in GROUP_IDS:
            await groups.link_group(db, "telegram", str(group_id), "test", NOW)
    for admin_id in ADMIN_IDS:
        await reps.add_admin(db, "telegram", str(admin_id), f"Admin {admin_id}", "test", NOW)
    return ids


async def drain_all(delivery: Delivery, db: Database, time: VirtualTime, passes: int = 50) -> int:
    """Drain pass after pass, moving time on to the next due row; how many passes it took."""
    for done in range(1, passes + 1):
        await delivery.drain_once(time.now())
        next_due = await outbox.next_due_at(db)
        if next_due is None:
            return done
        time.advance((next_due - time.now()).total_seconds())
    raise AssertionError(f"the outbox was not empty after {passes} passes")


def services_at(db: Database, time: VirtualTime) -> Services:
    return Services(db=db, now=time.now)
