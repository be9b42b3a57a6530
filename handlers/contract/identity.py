"""Who sent an event: their language, whether they are an admin, which coops they act for,
and the conversation state they were in.

A person's language is chosen once: the language of their chat app at their first contact is
saved as their choice (until they pick another with /bahasa), so everything sent to them later
on the bot's own initiative (announcements, reminders, bills, documents) speaks it too, not
only the replies to their own messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from handlers.contract.events import IncomingEvent
from handlers.contract.services import Services
from messages.formatting import LANGUAGES
from purchasing.model import Rep, RepRole
from storage.delivery import updates
from storage.people import reps
from storage.people.conversations import ConversationState
from usecases.preferences import choose_language


@dataclass(frozen=True, slots=True)
class Person:
    platform: str
    user_id: str
    display_name: str
    language: str
    is_admin: bool
    reps: tuple[Rep, ...]
    acting_coop_code: str | None
    # As saved when this event arrived (one chat's events are handled one at a time).
    conversation: ConversationState | None = None
    # The names of the coops they are a treasurer of, read with the rest (no extra read).
    coop_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def coop_codes(self) -> tuple[str, ...]:
        return tuple(rep.coop_code for rep in self.reps if rep.role is RepRole.TREASURER)

    @property
    def supplier_codes(self) -> tuple[str, ...]:
        """The suppliers they speak for (a supplier's rep receives its purchase order)."""
        return tuple(rep.coop_code for rep in self.reps if rep.role is RepRole.SUPPLIER)

    def represents(self, coop_code: str) -> bool:
        return coop_code in self.coop_codes

    def coop_name(self, coop_code: str) -> str:
        """The name of a coop they are a treasurer of, as a reply names its order (its code
        for any other coop)."""
        return self.coop_names.get(coop_code, coop_code)


async def identify(services: Services, event: IncomingEvent) -> Person:
    known = await reps.load_identity(services.db, event.platform, event.user_id)
    await _remember_first_language(services, event, known)
    return _person(services, event, known)


async def identify_once(services: Services, event: IncomingEvent) -> Person | None:
    """`identify`, and None when the event's delivery was taken before (see `delivery_id`)."""
    if event.delivery_id is None:
        return await identify(services, event)
    known = await updates.take_update(
        services.db, event.platform, event.delivery_id, event.user_id, services.now()
    )
    if known is None:
        return None
    await _remember_first_language(services, event, known)
    return _person(services, event, known)


async def _remember_first_language(
    services: Services, event: IncomingEvent, known: reps.Identity
) -> None:
    """Save the app's language as the person's choice the first time one is known."""
    hinted = _hinted_language(event.language_hint)
    if known.prefs.language is None and hinted is not None:
        await choose_language(services, event.platform, event.user_id, hinted)


def _person(services: Services, event: IncomingEvent, known: reps.Identity) -> Person:
    person = Person(
        platform=event.platform,
        user_id=event.user_id,
        display_name=event.display_name,
        language=known.prefs.language or _language_from_hint(event.language_hint, services),
        is_admin=known.is_admin,
        reps=known.reps,
        acting_coop_code=None,
        conversation=known.conversation,
        coop_names=known.coop_names,
    )
    return replace(person, acting_coop_code=_acting_coop(person, known.prefs.acting_coop_code))


def _language_from_hint(hint: str | None, services: Services) -> str:
    return _hinted_language(hint) or services.default_language


def _hinted_language(hint: str | None) -> str | None:
    """One of our languages from a chat app's language code ("en-GB" → "en"), else None."""
    if hint and hint[:2].lower() in LANGUAGES:
        return hint[:2].lower()
    return None


def _acting_coop(person: Person, chosen: str | None) -> str | None:
    """The chosen coop if they still represent it; otherwise the only one, if just one."""
    codes = person.coop_codes
    if chosen in codes:
        return chosen
    return codes[0] if len(codes) == 1 else None
