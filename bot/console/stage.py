"""Setting the demo's stage on a fresh database: sample catalog, people, group and an open round.

Everything goes through the same use cases the real bot uses: the catalog is imported, each
treasurer and supplier's rep joins with an invite, the newcomer gets a one-use invite of
their own, the group is linked, the admin is added (last, so the demo does not open with
"… joined" notices), and a round of every product opens now (announced like any other),
closing `round_minutes` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.console.examples import EXAMPLES_DIR
from bot.console.personas import PLATFORM, Persona, Role
from purchasing.model import Coop, Round, RoundPlan
from spreadsheets.importing import Catalog
from usecases import people, rounds
from usecases.catalog import import_catalog
from usecases.context import UseCaseContext


@dataclass(frozen=True, slots=True)
class Stage:
    personas: tuple[Persona, ...]
    coops: Mapping[str, Coop]
    round: Round
    invite_code: str
    suppliers: Mapping[str, str] = field(default_factory=dict)  # code: name
    examples: Path = EXAMPLES_DIR  # where `:kirim` also looks for a file

    def coop_of(self, persona: Persona) -> Coop | None:
        if persona.role is Role.SUPPLIER:
            return None
        return self.coops.get(persona.coop_code or "")

    def supplier_of(self, persona: Persona) -> str | None:
        """The name of the supplier a supplier's rep acts for."""
        return (
            self.suppliers.get(persona.coop_code or "") if persona.role is Role.SUPPLIER else None
        )

    @property
    def newcomer(self) -> Persona | None:
        return next((p for p in self.personas if p.role is Role.NEWCOMER), None)


@dataclass(frozen=True, slots=True)
class DemoRound:
    name: str
    delivery_note: str
    minutes: int


async def set_stage(
    ctx: UseCaseContext,
    catalog: Catalog,
    cast: tuple[Persona, ...],
    demo: DemoRound,
    examples: Path = EXAMPLES_DIR,
) -> Stage:
    await import_catalog(ctx, catalog)
    admin = next(p for p in cast if p.role is Role.ADMIN)
    staff = f"{PLATFORM}:{admin.user_id}"
    invite_code = ""
    for persona in cast:
        if persona.role in (Role.TREASURER, Role.NEWCOMER, Role.SUPPLIER) and persona.coop_code:
            made = await people.create_invite(ctx, persona.coop_code, staff, max_uses=1)
            if persona.role is Role.NEWCOMER:
                invite_code = made.invite.code
            else:
                await people.join_with_invite(
                    ctx, made.invite.code, PLATFORM, persona.user_id, persona.name
                )
        elif persona.role is Role.GROUP:
            await people.link_group(ctx, PLATFORM, persona.chat_id, staff)
    # The admin comes after the others joined: the demo opens without "… joined" notices.
    await people.add_admin(ctx, PLATFORM, admin.user_id, admin.name, by="demo")
    now = ctx.now()
    plan = RoundPlan(
        demo.name, now, now + timedelta(minutes=demo.minutes),
        tuple(product.code for product in catalog.products), demo.delivery_note,
    )  # fmt: skip
    round_ = await rounds.create_round(ctx, plan, open_now=True)
    coops = {coop.code: coop for coop in catalog.coops}
    suppliers = {supplier.code: supplier.name for supplier in catalog.suppliers}
    return Stage(cast, coops, round_, invite_code, suppliers, examples)
