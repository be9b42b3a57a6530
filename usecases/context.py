"""What every use case is handed: the database, the clock, and who else wants to know."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo

from messages.formatting import DEFAULT_LANGUAGE
from purchasing.settlement import Payee
from purchasing.times import WIB, Clock
from storage.database import Database

INVITE_VALID_DAYS = 14  # the default of `[invites] valid_days`


@dataclass(frozen=True, slots=True)
class UseCaseContext:
    """Built once by `bot/` (the composition root); the handlers' `Services` extends it."""

    db: Database
    now: Clock
    # The language of people who chose none yet (their messages are queued in it).
    default_language: str = DEFAULT_LANGUAGE
    # Who the coops pay, fixed for a round when it closes (`[office] payee`).
    payee: Payee = Payee.OFFICE
    # The office's zone (the config's `timezone`): typed times are read in it, "today" is its.
    timezone: tzinfo = WIB
    # Called after a use case created, opened, extended, cancelled or closed a round, so the
    # scheduler rebuilds its jobs from the database (`bot.scheduler.RoundScheduler.rebuild`).
    on_round_changed: Callable[[], Awaitable[None]] | None = None
    # Days an invite made without an expiry stays valid (`[invites] valid_days`; 0: for ever).
    invite_valid_days: int = INVITE_VALID_DAYS

    async def round_changed(self) -> None:
        if self.on_round_changed is not None:
            await self.on_round_changed()
