"""Each persona's chat: what was shown there, what is still unread, and what a number answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.console.personas import Persona
from bot.console.screen import Shown
from handlers.contract.events import ChatKind
from messages.replies import Option


@dataclass
class Chat:
    persona: Persona
    shown: list[Shown] = field(default_factory=list)
    unread: int = 0
    options: tuple[Option, ...] = ()

    def answered(self, batch: list[Shown]) -> None:
        """The replies to the persona's own input: their options (or none) are now current."""
        self.shown.extend(batch)
        numbered = [shown.options for shown in batch if shown.options]
        self.options = numbered[-1] if numbered else ()

    def delivered(self, shown: Shown, *, read: bool) -> None:
        """A queued post arrived; it takes over the numbers only if it has options."""
        self.shown.append(shown)
        if shown.options:
            self.options = shown.options
        if not read:
            self.unread += 1

    def take_unread(self) -> list[Shown]:
        unread = self.shown[len(self.shown) - self.unread :] if self.unread else []
        self.unread = 0
        return unread


class Chats:
    """The chats of every persona, found by number or by chat id."""

    def __init__(self, personas: tuple[Persona, ...]) -> None:
        self._by_number = {persona.number: Chat(persona) for persona in personas}

    def __iter__(self) -> Iterator[Chat]:
        return iter(self._by_number.values())

    def __len__(self) -> int:
        return len(self._by_number)

    def by_number(self, number: int) -> Chat | None:
        return self._by_number.get(number)

    def by_chat_id(self, chat_id: str) -> Chat | None:
        return next((c for c in self if c.persona.chat_id == chat_id), None)

    def private_chat_of(self, user_id: str) -> Chat | None:
        return next(
            (c for c in self
             if c.persona.user_id == user_id and c.persona.chat_kind is ChatKind.PRIVATE),
            None,
        )  # fmt: skip
