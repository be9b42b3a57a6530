"""Helpers for the schedule and summary tests: a small network of people and the outbox.

`Network` seeds a real database (tests.support.storage_builders' catalog and an open round) with two
treasurers, an admin, a supplier rep and a linked group; `queued` reads the outbox back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.contract.services import Services
from messages import Renderer, TextStyle
from messages.outbox_codec import decode_reply
from messages.replies import Reply
from messages.styles import validate_telegram_html
from purchasing.model import MoqPolicy, Product, Rep, RepRole, Round
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import OutboxMessage
from storage.people import groups, reps
from tests.support.builders import NOW, make_product
from tests.support.clock import Clock
from tests.support.storage_builders import PRODUCTS, seed_open_round
from tests.support.use_case_steps import set_commitment

# GLP1 is bought in full, BRS5's supply of 30 is shared out, MNY2 needs 50 to be ordered at all.
SUMMARY_PRODUCTS: tuple[Product, ...] = (
    make_product("GLP1"),
    make_product("BRS5", name="Beras medium 5 kg", supply_cap=30),
    make_product(
        "MNY2", name="Minyak goreng 2 L", supplier_code="INDOFOOD", unit="karton",
        market_price=400_000, price_tiers=((1, 380_000),), moq=50,
    ),
)  # fmt: skip

TREASURER_1 = Rep("telegram", "101", "KOP01", display_name="Bu Siti")
TREASURER_2 = Rep("telegram", "102", "KOP02", display_name="Pak Asep")
SUPPLIER_REP = Rep("telegram", "301", "BULOG", role=RepRole.SUPPLIER, display_name="Bulog")
ADMIN = ("telegram", "901")
GROUP = ("telegram", "-100500")
FAR_FUTURE = NOW + timedelta(days=3650)


@dataclass
class Network:
    services: Services
    clock: Clock
    round: Round

    @property
    def db(self) -> Database:
        return self.services.db

    async def order(self, coop: str, product: str, quantity: int) -> None:
        await set_commitment(
            self.db, round_id=self.round.id, coop_code=coop, product_code=product,
            quantity=quantity, actor="test", via="test", now=self.clock(),
        )  # fmt: skip


async def seed_network(
    db: Database,
    *,
    products: Sequence[Product] = PRODUCTS,
    product_codes: Sequence[str] = ("GLP1", "MIE1", "BRS5"),
    closes_at: datetime | None = None,
    moq_policy: MoqPolicy = MoqPolicy.DROP,
    extend_hours: int = 0,
    now: datetime = NOW,
) -> Network:
    """The catalog, a round opened at `now` (closing in two days unless given) and the people."""
    round_ = await seed_open_round(
        db, product_codes, products=products, now=now, closes_at=closes_at,
        moq_policy=moq_policy, extend_hours=extend_hours,
    )  # fmt: skip
    for rep in (TREASURER_1, TREASURER_2, SUPPLIER_REP):
        await reps.add_rep(db, rep, NOW)
    await reps.add_admin(db, *ADMIN, display_name="Mbak Rina", added_by="test", now=NOW)
    await groups.link_group(db, *GROUP, linked_by="telegram:901", now=NOW)
    clock = Clock(now=now)
    return Network(Services(db=db, now=clock), clock, round_)


async def queued(db: Database, kind_prefix: str = "") -> list[OutboxMessage]:
    """Every pending outbox row (of kinds starting with `kind_prefix`), oldest first."""
    return [
        message
        for message in await outbox.due_messages(db, FAR_FUTURE, limit=10_000)
        if message.kind.startswith(kind_prefix)
    ]


def rendered(message: OutboxMessage, renderer: Renderer) -> str:
    """The queued reply as the person will read it (plain text); fails on a template error."""
    reply: Reply = decode_reply(message.payload)
    html = renderer.render(reply.template, reply.language, reply.context, TextStyle.TELEGRAM_HTML)
    validate_telegram_html(html)
    return renderer.render(reply.template, reply.language, reply.context, TextStyle.PLAIN)
