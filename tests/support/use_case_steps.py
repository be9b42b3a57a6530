"""The use cases with the short signatures storage-level tests like: each step runs the real
use case (`usecases.*`) at a fixed moment instead of a moving clock.

`acting_at(db, now)` is the context a use case gets; the steps below build it for one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from purchasing.model import (
    CommitmentChange,
    Coop,
    Invite,
    MoqPolicy,
    Product,
    Rep,
    RepRole,
    Round,
    RoundPlan,
    Supplier,
)
from purchasing.outcome import RoundOutcome
from spreadsheets.importing import Catalog
from storage.catalog.loading import ImportCounts
from storage.commitments import Audit
from storage.database import Database
from storage.people import invites
from tests.support.builders import NOW
from usecases import catalog as catalog_use_cases
from usecases import people, rounds
from usecases.context import UseCaseContext
from usecases.ordering import QuantitiesSet, set_quantities, set_quantity


def acting_at(db: Database, now: datetime = NOW) -> UseCaseContext:
    return UseCaseContext(db, lambda: now)


async def import_catalog(
    db: Database,
    coops: Iterable[Coop] = (),
    suppliers: Iterable[Supplier] = (),
    products: Iterable[Product] = (),
) -> ImportCounts:
    catalog = Catalog(tuple(coops), tuple(suppliers), tuple(products))
    return await catalog_use_cases.import_catalog(acting_at(db), catalog)


async def create_round(
    db: Database,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    product_codes: Sequence[str] = (),
    delivery_note: str = "",
    moq_policy: MoqPolicy = MoqPolicy.DROP,
    extend_hours: int = 0,
    *,
    now: datetime | None = None,
    open_now: bool = False,
) -> Round:
    """A round planned at `now` (default: its opening time)."""
    plan = RoundPlan(
        name, opens_at, closes_at, tuple(product_codes), delivery_note, moq_policy, extend_hours
    )
    return await rounds.create_round(acting_at(db, now or opens_at), plan, open_now=open_now)


async def open_round(db: Database, round_id: int, now: datetime) -> Round:
    return await rounds.open_round(acting_at(db, now), round_id)


async def close_round(
    db: Database, round_id: int, now: datetime, *, force: bool = False
) -> RoundOutcome | None:
    return await rounds.close_round(acting_at(db, now), round_id, force=force)


async def extend_round(
    db: Database, round_id: int, new_closes_at: datetime, *, now: datetime = NOW
) -> Round:
    return await rounds.extend_round(acting_at(db, now), round_id, new_closes_at)


async def cancel_round(db: Database, round_id: int, *, now: datetime = NOW) -> Round:
    return await rounds.cancel_round(acting_at(db, now), round_id)


async def load_outcome(db: Database, round_id: int) -> RoundOutcome:
    return await rounds.round_outcome(db, round_id)


async def set_commitment(
    db: Database,
    *,
    round_id: int,
    coop_code: str,
    product_code: str,
    quantity: int,
    actor: str,
    via: str,
    message_id: str = "",
    now: datetime,
    relative: bool = False,
) -> CommitmentChange:
    audit = Audit(actor, via, message_id)
    return await set_quantity(
        acting_at(db, now), round_id, coop_code, product_code, quantity, audit, relative=relative
    )


async def set_commitments(
    db: Database,
    *,
    round_id: int,
    coop_code: str,
    quantities: Sequence[tuple[str, int]],
    actor: str,
    via: str,
    message_id: str = "",
    now: datetime,
) -> QuantitiesSet:
    audit = Audit(actor, via, message_id)
    return await set_quantities(
        acting_at(db, now), round_id, coop_code, quantities, audit, with_ordered=True
    )


async def create_invite(
    db: Database,
    coop_code: str,
    created_by: str,
    now: datetime,
    max_uses: int | None = None,
    expires_at: datetime | None = None,
    role: RepRole = RepRole.TREASURER,
) -> Invite:
    """An invite made by `created_by` (with `expires_at`: written as it is, for tests of
    invites that expire; the chat and the CLI make invites that do not)."""
    made = await people.create_invite(acting_at(db, now), coop_code, created_by, max_uses=max_uses)
    if made.invite.role is not role:
        raise AssertionError(f"{coop_code} makes a {made.invite.role} invite, not {role}")
    if expires_at is None:
        return made.invite
    expiring = replace(made.invite, code=invites.new_invite_code(), expires_at=expires_at)
    await invites.insert_invite(db, expiring)
    return expiring


async def redeem_invite(
    db: Database, code: str, platform: str, user_id: str, display_name: str, now: datetime
) -> Rep:
    return await people.join_with_invite(acting_at(db, now), code, platform, user_id, display_name)


async def revoke_invite(db: Database, code: str, now: datetime) -> Invite:
    return (await people.revoke_invite(acting_at(db, now), code)).invite
