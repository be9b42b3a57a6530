"""What a running bot keeps going besides its chats: the round scheduler.

`scheduled_rounds` starts a `RoundScheduler` over the wired services (catching up on what
was due while the process was down), hands out services whose `on_round_changed` rebuilds
its jobs, and shuts it down before the database closes. `run` and `demo` both use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

from bot.config import Config
from bot.scheduler import RoundScheduler
from handlers.contract.services import Services
from purchasing.times import Clock


@dataclass(frozen=True, slots=True)
class ScheduledRounds:
    scheduler: RoundScheduler
    services: Services  # for the transports: round changes rebuild the job table


@asynccontextmanager
async def scheduled_rounds(
    services: Services,
    config: Config,
    clock: Clock,
    *,
    notify: Callable[[], None] | None = None,
) -> AsyncIterator[ScheduledRounds]:
    scheduler = RoundScheduler(services, config, clock, notify=notify)
    await scheduler.start()
    try:
        yield ScheduledRounds(scheduler, replace(services, on_round_changed=scheduler.rebuild))
    finally:
        await scheduler.shutdown()
