"""The console transport for queued posts: each message lands in the chat of its persona.

`bot.delivery.sender.Delivery` drains the outbox and hands every console message to `deliver`
(a chat id no persona has is unreachable).
The active persona sees it at once; for the others it waits as unread, and `notices`
tells afterwards how many new messages each of them has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.console.chats import Chat, Chats
from bot.console.personas import PLATFORM, Persona
from bot.console.screen import Screen
from bot.delivery.sender import RecipientUnreachable
from messages.replies import Reply


class UnknownConsoleChat(RecipientUnreachable):
    """An outbox row for a console chat that no persona has."""


class ConsoleTransport:
    platform = PLATFORM

    def __init__(self, chats: Chats, screen: Screen, active: Callable[[], Chat]) -> None:
        self._chats = chats
        self._screen = screen
        self._active = active
        self._new: Counter[int] = Counter()

    async def deliver(self, chat_id: str, reply: Reply) -> None:
        chat = self._chats.by_chat_id(chat_id)
        if chat is None:
            raise UnknownConsoleChat(chat_id)
        shown = self._screen.shown(reply, numbered=True)
        is_active = chat is self._active()
        chat.delivered(shown, read=is_active)
        if is_active:
            self._screen.message(shown)
        else:
            self._new[chat.persona.number] += 1

    def notices(self) -> list[tuple[Persona, int]]:
        """Who got new messages while someone else was active since the last call, and how many."""
        found = [
            (chat.persona, self._new[chat.persona.number])
            for chat in self._chats
            if self._new[chat.persona.number]
        ]
        self._new.clear()
        return found
