"""The shape every flow module shares: a `Turn` in, replies out.

A flow module (join, catalog, ordering, ...) exports `COMMANDS` (command name → handler,
Indonesian names and English aliases) and `CALLBACKS` (payload verb → handler); the router
merges them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

from handlers.contract.events import IncomingEvent
from handlers.contract.identity import Person
from handlers.contract.services import Services
from messages.buttons import Payload
from messages.replies import Reply
from storage.commitments import Audit


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

    @property
    def audit(self) -> Audit:
        """How the audit log names this person and the chat they wrote in."""
        event = self.event
        return Audit(event.actor, f"{event.platform}:{event.chat_id}", event.message_id)

    @property
    def staff_audit(self) -> Audit:
        """`audit` for an admin acting for a coop: "admin:<platform>:<user_id>"."""
        return replace(self.audit, actor=f"admin:{self.event.actor}")

    def reply(self, template: str, context: Mapping[str, object] | None = None) -> Reply:
        return Reply(template=template, context=dict(context or {}), language=self.language)


Handler = Callable[[Services, Turn], Awaitable[list[Reply]]]


def error_reply(person: Person, key: str, params: Mapping[str, object]) -> Reply:
    """The error's template with its params; one about a coop also gets the coop's name
    (`coop_name`: their own coop's as read with who they are, else its code), and every one
    whether it speaks to Dinas staff (`staff`), who are not told to contact themselves."""
    context = {"staff": person.is_admin, **params}
    coop_code = params.get("coop_code")
    if isinstance(coop_code, str):
        context.setdefault("coop_name", person.coop_name(coop_code))
    return Reply(template=f"errors/{key}", context=context, language=person.language)
