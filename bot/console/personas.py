"""Who you can be in the demo: a Dinas admin, treasurers of a few coops, a newcomer, the group,
and the reps of two suppliers.

Each persona is one chat identity on the "console" platform with its own chat. The group
persona is the linked JUK group chat; what is typed there is written by the first
treasurer (a member of the group), so a group button that opens a private chat leads to
that treasurer's chat. Names are sample data, like the coops in examples/.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handlers.contract.events import ChatKind, IncomingEvent

PLATFORM = "console"


class Role(StrEnum):
    ADMIN = "admin"
    TREASURER = "treasurer"
    NEWCOMER = "newcomer"
    GROUP = "group"
    SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class Persona:
    number: int
    role: Role
    name: str
    user_id: str
    chat_id: str
    coop_code: str | None = None  # a supplier's rep: the supplier's code

    @property
    def chat_kind(self) -> ChatKind:
        return ChatKind.GROUP if self.role is Role.GROUP else ChatKind.PRIVATE

    def event(
        self, language: str, *, text: str | None = None, payload: str | None = None, seq: int = 0
    ) -> IncomingEvent:
        """What this persona typing `text` (or pressing a button sending `payload`) means."""
        return IncomingEvent(
            platform=PLATFORM,
            user_id=self.user_id,
            display_name=self.name,
            chat_id=self.chat_id,
            chat_kind=self.chat_kind,
            language_hint=language,
            text=text,
            payload=payload,
            message_id=str(seq),
        )


GROUP_CHAT_ID = "grup-juk"


def default_cast() -> tuple[Persona, ...]:
    """The demo's people: 1 admin, 3 treasurers already joined, 1 newcomer, the group, and the
    reps of Bulog and Indofood (numbered after the group, so older scripts keep their
    numbers)."""
    treasurer = Persona(2, Role.TREASURER, "Bu Rina", "rina", "rina", "DT")
    return (
        Persona(1, Role.ADMIN, "Bu Sari", "sari", "sari"),
        treasurer,
        Persona(3, Role.TREASURER, "Pak Budi", "budi", "budi", "KKPITB"),
        Persona(4, Role.TREASURER, "Pak Ahmad", "ahmad", "ahmad", "ATTAQWA"),
        Persona(5, Role.NEWCOMER, "Bu Dewi", "dewi", "dewi", "FATHULHUDA"),
        Persona(6, Role.GROUP, "Grup JUK", treasurer.user_id, GROUP_CHAT_ID),
        Persona(7, Role.SUPPLIER, "Pak Joko", "joko", "joko", "BULOG"),
        Persona(8, Role.SUPPLIER, "Bu Lina", "lina", "lina", "INDOFOOD"),
    )
