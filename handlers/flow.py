"""The shape every flow module shares: a `Turn` in, replies out.

A flow module (join, catalog, ordering, ...) exports `COMMANDS` (command name → handler,
Indonesian names and English aliases) and `CALLBACKS` (payload verb → handler); the router
merges them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

from handlers.events import IncomingEvent
from handlers.identity import Person
from handlers.services import Services
from messages.buttons import Payload
from messages.replies import Reply


@dataclass(frozen=True, slots=True)
class Turn:
    """One incoming event, who sent it, and what the router already parsed out of it."""

    event: IncomingEvent
    person: Person
    args: str = ""
    payload: Payload | None = None

    def with_args(self, args: str) -> Turn:
        return replace(self, args=args)

    def with_payload(self, payload: Payload) -> Turn:
        return replace(self, payload=payload)

    @property
    def language(self) -> str:
        return self.person.language

    def reply(self, template: str, context: Mapping[str, object] | None = None) -> Reply:
        return Reply(template=template, context=dict(context or {}), language=self.language)


Handler = Callable[[Services, Turn], Awaitable[list[Reply]]]


def error_reply(person: Person, key: str, params: Mapping[str, object]) -> Reply:
    return Reply(template=f"errors/{key}", context=dict(params), language=person.language)
