"""The one incoming-event value every transport produces (Telegram, WhatsApp, console)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """Who wrote what, where. Exactly one of `text` and `payload` (a pressed button) is set."""

    platform: str
    user_id: str
    display_name: str
    chat_id: str
    chat_kind: ChatKind
    language_hint: str | None = None
    text: str | None = None
    payload: str | None = None
    message_id: str = ""

    @property
    def is_private(self) -> bool:
        return self.chat_kind is ChatKind.PRIVATE

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"{self.platform}:{self.user_id}"
