"""Builders for storage tests: a real database file with a small JUK catalog in it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from purchasing.model import Coop, MoqPolicy, Product, Round, RoundStatus, Supplier
from purchasing.rounds import stop_orders
from storage.database import Database, open_database
from storage.migrator import apply_migrations, split_statements
from tests.support.builders import NOW, make_coop, make_product, make_supplier
from tests.support.use_case_steps import create_round, import_catalog, open_round, set_commitment

COOPS: tuple[Coop, ...] = tuple(make_coop(f"KOP{n:02d}") for n in range(1, 6))
SUPPLIERS: tuple[Supplier, ...] = (make_supplier("BULOG"), make_supplier("INDOFOOD"))
PRODUCTS: tuple[Product, ...] = (
    make_product("GLP1"),
    make_product(
        "MIE1",
        name="Mi instan goreng",
        supplier_code="INDOFOOD",
        unit="karton",
        contents="40 bungkus",
        market_price=120_000,
        price_tiers=((1, 110_000), (100, 104_000)),
    ),
    make_product("BRS5", name="Beras medium 5 kg", moq=20, supply_cap=30),
)


@asynccontextmanager
async def database_at(tmp_path: Path, name: str = "belanja.db") -> AsyncIterator[Database]:
    async with open_database(tmp_path / name) as db:
        yield db


async def seed_catalog(
    db: Database,
    coops: Sequence[Coop] = COOPS,
    suppliers: Sequence[Supplier] = SUPPLIERS,
    products: Sequence[Product] = PRODUCTS,
) -> None:
    await import_catalog(db, coops, suppliers, products)


async def seed_open_round(
    db: Database,
    product_codes: Sequence[str] = ("GLP1", "MIE1", "BRS5"),
    *,
    now: datetime = NOW,
    closes_at: datetime | None = None,
    moq_policy: MoqPolicy = MoqPolicy.DROP,
    extend_hours: int = 0,
    products: Sequence[Product] = PRODUCTS,
) -> Round:
    """Seed the catalog and open a round offering `product_codes`, closing in two days."""
    await seed_catalog(db, products=products)
    draft = await create_round(
        db,
        "Belanja Bareng Maret",
        now,
        closes_at or now + timedelta(days=2),
        product_codes,
        delivery_note="Diantar Senin",
        moq_policy=moq_policy,
        extend_hours=extend_hours,
        now=now,
    )
    return await open_round(db, draft.id, now)


async def place_order(
    db: Database,
    round_: Round,
    coop: str,
    product: str,
    quantity: int,
    *,
    now: datetime = NOW,
    actor: str = "telegram:1001",
) -> None:
    """`coop` orders `quantity` of `product` in `round_`, as a treasurer's chat does."""
    await set_commitment(
        db, round_id=round_.id, coop_code=coop, product_code=product, quantity=quantity,
        actor=actor, via=actor, message_id="1", now=now,
    )  # fmt: skip


async def begin_closing(db: Database, round_id: int, at: datetime) -> None:
    """Staff confirmed closing the round early at `at` and the close is still working it
    out (the first step of `usecases.rounds.close_round` with `force`)."""
    from storage.round_rows import require_round, save_round

    async with db.transaction() as tx:
        round_ = await require_round(tx, round_id)
        assert await save_round(tx, stop_orders(round_, at), expected=RoundStatus.OPEN)


# Data written the way the FIRST schema (0001) expects it. Every later schema must keep it.
SEED_AT_VERSION_1 = """
INSERT INTO coops (code, name, address, contact)
    VALUES ('KOP01', 'Kopontren Al-Ikhlas', 'Jl. A', '0812');
INSERT INTO suppliers (code, name) VALUES ('BULOG', 'Perum Bulog');
INSERT INTO products (code, name, supplier_code, unit, contents, market_price, moq)
    VALUES ('GLP1', 'Gula pasir', 'BULOG', 'karung', '50 kg', 800000, 10);
INSERT INTO product_tiers VALUES ('GLP1', 1, 750000), ('GLP1', 50, 720000);
INSERT INTO reps (platform, user_id, coop_code, display_name, added_at)
    VALUES ('telegram', '1001', 'KOP01', 'Bu Siti', '2025-03-03T03:00:00.000000+00:00');
INSERT INTO rounds (id, name, opens_at, closes_at, status, created_at)
    VALUES (7, 'Maret', '2025-03-03T03:00:00.000000+00:00', '2025-03-05T03:00:00.000000+00:00',
            'open', '2025-03-03T03:00:00.000000+00:00');
INSERT INTO round_items (round_id, product_code, position, name, supplier_code, unit, contents,
                         market_price, tiers, moq)
    VALUES (7, 'GLP1', 0, 'Gula pasir', 'BULOG', 'karung', '50 kg', 800000,
            '[[1,750000],[50,720000]]', 10);
INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, created_at, updated_at)
    VALUES (7, 'KOP01', 'GLP1', 12, 'telegram:1001', '2025-03-03T04:00:00.000000+00:00',
            '2025-03-03T04:00:00.000000+00:00');
INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, new_quantity,
                              actor, via, message_id, at)
    VALUES (7, 'KOP01', 'GLP1', 0, 12, 'telegram:1001', 'telegram', '55',
            '2025-03-03T04:00:00.000000+00:00');
INSERT INTO outbox (platform, chat_id, kind, payload, dedupe_key, next_attempt_at, created_at)
    VALUES ('telegram', '1001', 'round_open', '{"round_id":7}', 'open:7:telegram:1001',
            '2025-03-03T03:00:00.000000+00:00', '2025-03-03T03:00:00.000000+00:00');
"""


async def file_at_version(path: Path, version: int) -> None:
    """A database file at schema `version` holding SEED_AT_VERSION_1 (written at version 1),
    as a bot installed back then would have left it."""
    async with open_database(path, migrate_to=1) as db:
        for statement in split_statements(SEED_AT_VERSION_1):
            await db.execute(statement)
        assert await apply_migrations(db, up_to=version) == version
