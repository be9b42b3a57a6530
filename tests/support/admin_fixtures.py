"""Fixtures for the admin and group conversation tests, on top of `tests.support.chat_fixtures`.

`GroupChat` is a group the bot is in: anyone may write there. `admin_reps` are three
treasurers of three coops. Fixture names start with `admin_`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest

from handlers.contract.events import ChatKind, IncomingEvent
from handlers.contract.services import Services
from handlers.router import handle
from messages import Renderer
from messages.replies import Reply
from purchasing.model import Rep
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from storage.people import preferences, reps
from tests.support.chat_fixtures import ChatUser, render_reply
from tests.support.clock import Clock

GROUP_CHAT_ID = "-1002003004005"


@dataclass
class GroupChat:
    """A group chat; `send` writes there as the given person."""

    services: Services
    renderer: Renderer
    chat_id: str = GROUP_CHAT_ID
    rendered: list[str] = field(default_factory=list)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, user: ChatUser, text: str) -> list[Reply]:
        event = IncomingEvent(
            platform=user.platform,
            user_id=user.user_id,
            display_name=user.display_name,
            chat_id=self.chat_id,
            chat_kind=ChatKind.GROUP,
            language_hint="id",
            text=text,
            message_id=str(next(self.message_ids)),
        )
        replies = await handle(self.services, event)
        self.rendered = [render_reply(self.renderer, reply) for reply in replies]
        return replies

    @property
    def last_text(self) -> str:
        return "\n".join(self.rendered)


async def outbox_total(services: Services, dedupe_prefix: str = "") -> int:
    """How many outbox rows there are (any status) whose dedupe key starts with the prefix."""
    counts = await outbox.delivery_counts(services.db, dedupe_prefix=dedupe_prefix)
    return sum(counts.values())


async def pending_total(services: Services, dedupe_prefix: str = "") -> int:
    counts = await outbox.delivery_counts(services.db, dedupe_prefix=dedupe_prefix)
    return counts[DeliveryStatus.PENDING]


@pytest.fixture
def admin_group(chat_services: Services, chat_renderer: Renderer) -> GroupChat:
    return GroupChat(chat_services, chat_renderer)


@pytest.fixture
async def admin_reps(
    chat_services: Services, chat_renderer: Renderer, chat_clock: Clock
) -> list[ChatUser]:
    """Treasurers of DT, KKPITB and KOPERTIS4 (one person each); the KKPITB one reads English."""
    people = [
        ("5101", "Bu Ani", "DT"),
        ("5102", "Pak Dedi", "KKPITB"),
        ("5103", "Bu Euis", "KOPERTIS4"),
    ]
    users = []
    for user_id, name, coop in people:
        await reps.add_rep(
            chat_services.db, Rep("telegram", user_id, coop, display_name=name), chat_clock()
        )
        users.append(ChatUser(chat_services, chat_renderer, user_id, name))
    await preferences.set_language(chat_services.db, "telegram", "5102", "en")
    return users
