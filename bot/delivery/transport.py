"""What the sender (`bot.delivery.sender`) asks of a platform, and what a platform may answer.

A transport delivers one decoded `Reply` to one chat and returns the platform's id of the
message it became (None when the platform has none). One that can also `edit` a message it
sent is an `EditingTransport`; the sender edits a broadcast's progress message with it, and
sends a new message instead through a transport that cannot edit. One that sends a reply as
several messages is a `PacedTransport`: the sender gives it the platform's pacer.

Failures are told apart by exception type, because the sender treats them differently:
`TransientDeliveryError` (try again later; `retry_after` when the platform said how long),
`RecipientUnreachable` (this chat will not take messages: blocked, gone) and
`MessageRejected` (the platform refuses this message itself: do not try it again).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.delivery.pacing import Pacer
from messages.replies import Reply


class Transport(Protocol):
    async def deliver(self, chat_id: str, reply: Reply) -> str | None: ...


@runtime_checkable
class EditingTransport(Protocol):
    async def deliver(self, chat_id: str, reply: Reply) -> str | None: ...

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None: ...


@runtime_checkable
class PacedTransport(Protocol):
    """A transport that sends some replies as several messages: each after the first waits
    for the platform's pacer, which the sender hands it (`bot.delivery.pacing`)."""

    def pace_with(self, pacer: Pacer) -> None: ...


class TransientDeliveryError(Exception):
    """Try again later (network trouble, 5xx, 429); `retry_after` seconds when the API said."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RecipientUnreachable(Exception):
    """This chat will not take the message; do not try again.

    Its text is the reason the admins are told: "blocked", "chat_not_found", or anything
    else (shown as a plain "unreachable").
    """


class MessageRejected(Exception):
    """The platform refused this very message (a bad request); trying again cannot help."""
