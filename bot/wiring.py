"""The composition root: from a Config, an open Database and a clock, what every transport needs.

`wire` builds the handlers' `Services` and the message `Renderer` once; the Telegram runner,
the console demo and the command line all start from it, so no transport assembles these
pieces its own way. The outbox sender makes its files with the same `Services.round_file`.
`register_config_admins` makes the config's admins known to storage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.close_child import close_round_apart
from bot.config import Config
from bot.documents import RoundFiles
from bot.exports import exports_next_to
from handlers.contract.services import Services
from messages.render import Renderer
from purchasing.times import Clock
from storage.database import Database
from usecases import people
from usecases.context import UseCaseContext


@dataclass(frozen=True, slots=True)
class Wiring:
    """What a transport is handed: the services for `handlers.router.handle` and a renderer."""

    services: Services
    renderer: Renderer = field(default_factory=Renderer)
    notify: Callable[[], None] | None = None  # wakes the outbox sender after each update


def wire(
    config: Config,
    db: Database,
    now: Clock,
    *,
    renderer: Renderer | None = None,
    deep_links: Mapping[str, str] | None = None,
) -> Wiring:
    """Services over `db` with `now` as the clock, and the renderer (a new one unless given).

    `deep_links` maps a platform to its "open a private chat with a start code" template
    (see `Services.deep_links`); transports that know their link pass it here.
    """
    renderer = renderer or renderer_for(config)
    # One maker of the round files for the whole bot: a workbook asked for twice at once
    # (the sender's overview, staff's /ekspor) is made once (`RoundFiles.workbook`).
    files = RoundFiles(db, exports_next_to(db.path), config.office, renderer)
    services = Services(
        db=db,
        now=now,
        default_language=config.default_language,
        payee=config.office.payee,
        timezone=config.timezone,
        invite_valid_days=config.invites.valid_days,
        deep_links=dict(deep_links or {}),
        round_workbook=files.workbook,
        round_file=files,
        close_early=close_round_apart,  # a province's round is closed outside the bot
    )
    return Wiring(services=services, renderer=renderer)


def renderer_for(config: Config) -> Renderer:
    """The renderer that shows times in the config's `timezone` and names its office."""
    return Renderer(zone=config.timezone, office_name=config.office.name)


async def register_config_admins(db: Database, config: Config, now: datetime | None = None) -> int:
    """Record every admin listed in the config (at `now`, default: the system clock); how many
    were new."""
    at = now or datetime.now(UTC)
    listed = [(admin.platform, admin.user_id) for admin in config.admins]
    return await people.add_config_admins(UseCaseContext(db, lambda: at), listed)
