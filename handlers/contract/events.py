"""The one incoming-event value every transport produces (Telegram, WhatsApp, console)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class IncomingDocument:
    """A file the person sent: the name they gave it, and where the transport saved it.

    `path` is None when the transport did not fetch the file: too big (`size`, as the
    platform reported it, says by how much) or a transport that takes no files.
    """

    name: str
    size: int | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """Who wrote what, where. Exactly one of `text`, `payload` (a pressed button) and
    `document` (a file sent) is set."""

    platform: str
    user_id: str
    display_name: str
    chat_id: str
    chat_kind: ChatKind
    language_hint: str | None = None
    text: str | None = None
    payload: str | None = None
    message_id: str = ""
    # The platform's id of this delivery when it may come again and must be acted on once
    # (Telegram's update_id); the router skips a delivery it has taken before.
    delivery_id: str | None = None
    document: IncomingDocument | None = None

    @property
    def is_private(self) -> bool:
        return self.chat_kind is ChatKind.PRIVATE

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"{self.platform}:{self.user_id}"
