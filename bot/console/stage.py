"""Setting the demo's stage on a fresh database: sample catalog, people, group and an open round.

Everything goes through the same storage use cases the real bot uses: the catalog is
imported, the admin and the treasurers are recorded, the newcomer gets a one-use invite,
the group is linked and a round of every product opens now, closing `round_minutes` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.console.personas import PLATFORM, Persona, Role
from purchasing.model import Coop, Rep, RepRole, Round
from spreadsheets.importing import Catalog
from storage import groups, invites, reps, rounds
from storage.catalog_import import upsert_catalog
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Stage:
    personas: tuple[Persona, ...]
    coops: Mapping[str, Coop]
    round: Round
    invite_code: str

    def coop_of(self, persona: Persona) -> Coop | None:
        return self.coops.get(persona.coop_code or "")

    @property
    def newcomer(self) -> Persona | None:
        return next((p for p in self.personas if p.role is Role.NEWCOMER), None)


@dataclass(frozen=True, slots=True)
class RoundPlan:
    name: str
    delivery_note: str
    minutes: int


async def set_stage(
    db: Database, catalog: Catalog, cast: tuple[Persona, ...], plan: RoundPlan, now: datetime
) -> Stage:
    await upsert_catalog(db, catalog.coops, catalog.suppliers, catalog.products)
    admin = next(p for p in cast if p.role is Role.ADMIN)
    await reps.add_admin(db, PLATFORM, admin.user_id, admin.name, added_by="demo", now=now)
    invite_code = ""
    for persona in cast:
        if persona.role is Role.TREASURER and persona.coop_code:
            rep = Rep(PLATFORM, persona.user_id, persona.coop_code, RepRole.TREASURER, persona.name)
            await reps.add_rep(db, rep, now)
        elif persona.role is Role.NEWCOMER and persona.coop_code:
            invite = await invites.create_invite(
                db, persona.coop_code, f"{PLATFORM}:{admin.user_id}", now, max_uses=1
            )
            invite_code = invite.code
        elif persona.role is Role.GROUP:
            await groups.link_group(
                db, PLATFORM, persona.chat_id, f"{PLATFORM}:{admin.user_id}", now
            )
    round_ = await _open_round(db, catalog, plan, now)
    return Stage(cast, {coop.code: coop for coop in catalog.coops}, round_, invite_code)


async def _open_round(db: Database, catalog: Catalog, plan: RoundPlan, now: datetime) -> Round:
    draft = await rounds.create_round(
        db,
        name=plan.name,
        opens_at=now,
        closes_at=now + timedelta(minutes=plan.minutes),
        product_codes=[product.code for product in catalog.products],
        delivery_note=plan.delivery_note,
        now=now,
    )
    return await rounds.open_round(db, draft.id, now)
