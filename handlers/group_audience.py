"""Who reads what the bot posts "to the group".

WhatsApp business numbers cannot post in groups at scale (no interactive messages, small
groups only), so on WhatsApp each treasurer gets the group's posts one to one; on the other
platforms the linked groups do.
"""

from __future__ import annotations

from collections.abc import Iterable

ChatKey = tuple[str, str]  # (platform, chat id)
GROUPLESS_PLATFORMS = frozenset({"whatsapp"})


def group_chats(linked_groups: Iterable[ChatKey], treasurers: Iterable[ChatKey]) -> list[ChatKey]:
    """The linked groups of platforms that have them, then each treasurer of those that don't."""
    groups = [chat for chat in linked_groups if chat[0] not in GROUPLESS_PLATFORMS]
    private = [chat for chat in dict.fromkeys(treasurers) if chat[0] in GROUPLESS_PLATFORMS]
    return groups + private
