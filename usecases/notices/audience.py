"""Who hears what the bot says on its own, read inside a use case's transaction.

WhatsApp business numbers cannot post in groups at scale (no interactive messages, small
groups only), so on WhatsApp each treasurer gets the group's posts one to one; on the other
platforms the linked groups do (`group_chats`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from purchasing.model import RepRole
from storage.database import Connection
from storage.people import groups, reps

ChatKey = tuple[str, str]  # (platform, chat id)
GROUPLESS_PLATFORMS = frozenset({"whatsapp"})


@dataclass(frozen=True, slots=True)
class Recipient:
    platform: str
    chat_id: str
    language: str
    is_group: bool


def group_chats(linked_groups: Iterable[ChatKey], treasurers: Iterable[ChatKey]) -> list[ChatKey]:
    """The linked groups of platforms that have them, then each treasurer of those that don't."""
    linked = [chat for chat in linked_groups if chat[0] not in GROUPLESS_PLATFORMS]
    private = [chat for chat in dict.fromkeys(treasurers) if chat[0] in GROUPLESS_PLATFORMS]
    return linked + private


async def group_recipients(conn: Connection, default_language: str) -> list[Recipient]:
    """Linked groups, and on WhatsApp each treasurer privately."""
    audience = await groups.group_audience(conn, GROUPLESS_PLATFORMS, RepRole.TREASURER)
    private = {
        (chat.platform, chat.user_id): _private(chat, default_language)
        for chat in audience.rep_chats
        if chat.platform in GROUPLESS_PLATFORMS
    }
    return [
        private.get(chat) or Recipient(*chat, default_language, is_group=True)
        for chat in group_chats(audience.groups, private)
    ]


async def rep_recipients(
    conn: Connection, default_language: str, *, role: RepRole | None = None
) -> list[Recipient]:
    """Every rep's private chat (of `role`), once per chat identity, in their language."""
    return [_private(chat, default_language) for chat in await reps.rep_chats(conn, role=role)]


async def round_news_readers(conn: Connection, default_language: str) -> list[Recipient]:
    """Who hears that a round opened, moved or was cancelled: the group and every treasurer."""
    treasurers = await rep_recipients(conn, default_language, role=RepRole.TREASURER)
    return once([*await group_recipients(conn, default_language), *treasurers])


def once(recipients: Iterable[Recipient]) -> list[Recipient]:
    """Each chat once (on WhatsApp a treasurer is both a rep and a group reader)."""
    return list({(r.platform, r.chat_id): r for r in recipients}.values())


def _private(chat: reps.RepChat, default_language: str) -> Recipient:
    return Recipient(chat.platform, chat.user_id, chat.language or default_language, False)
