"""The catalog: coops, suppliers and products with their price tiers.

`import_catalog` upserts by code in ONE transaction: either the whole file is taken or
nothing changes. A product's tiers are replaced, never merged.

Nothing is ever deleted: a coop that left the JUK or last month's product is *retired*
(`retire_coops`, `retire_products`; `restore_*` undoes it, and so does importing the row
again, since an import says "this is the catalog now" for the rows it lists). Retired rows
stay in the tables, so past rounds, bills and exports keep them. Which reads skip them:

- the default product list of a new round (`list_products(include_retired=False)`, used by
  `/putaran baru` and `round create` without products); naming a retired product for a
  round, or opening a draft that has one, raises ProductRetired (`require_products`);
- the coops a close counts as invited and `/rekap` lists as not ordered yet
  (`storage.round_parties.current_parties`), except a retired coop that already ordered in
  that round: its order stands and it gets its bill;
- ordering for a retired coop (CoopRetired from `storage.commitments`), and creating or
  redeeming an invite for one (CoopRetired from `storage.invites`).

Everything else reads them like any other row (names on old bills, reminders' coop names,
`list_coops` / `list_products` by default). The command line lists the current ones and
then the retired ones apart (`retired_coops`, `retired_products`). Not yet: the reps of a
retired coop still get round announcements and reminders (`storage.schedule.load_audience`
reads every rep); they are refused when they order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from purchasing.errors import InvalidTiers, PurchasingError, UnknownCoop, UnknownProduct
from purchasing.model import Coop, Product, Supplier
from purchasing.pricing import validate_tiers
from storage.catalog_rows import (
    CatalogTable,
    RetiredEntry,
    load_coop,
    load_coops,
    load_products,
    load_retired,
    load_suppliers,
)
from storage.database import Database
from storage.encoding import to_db_time
from storage.errors import UnknownSupplier


@dataclass(frozen=True, slots=True)
class ImportCounts:
    coops_added: int = 0
    coops_updated: int = 0
    suppliers_added: int = 0
    suppliers_updated: int = 0
    products_added: int = 0
    products_updated: int = 0


async def import_catalog(
    db: Database,
    coops: Iterable[Coop] = (),
    suppliers: Iterable[Supplier] = (),
    products: Iterable[Product] = (),
) -> ImportCounts:
    async with db.transaction() as conn:
        coops_added, coops_updated = await _upsert_coops(conn, coops)
        suppliers_added, suppliers_updated = await _upsert_suppliers(conn, suppliers)
        products_added, products_updated = await _upsert_products(conn, products)
    return ImportCounts(
        coops_added, coops_updated, suppliers_added, suppliers_updated, products_added,
        products_updated,
    )  # fmt: skip


async def _exists(conn: aiosqlite.Connection, table: str, code: str) -> bool:
    rows = await conn.execute_fetchall(f"SELECT 1 FROM {table} WHERE code = ?", (code,))
    return bool(list(rows))


async def _upsert_coops(conn: aiosqlite.Connection, coops: Iterable[Coop]) -> tuple[int, int]:
    added = updated = 0
    for coop in coops:
        if await _exists(conn, "coops", coop.code):
            updated += 1
        else:
            added += 1
        await conn.execute(
            "INSERT INTO coops (code, name, address, contact) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
            "address = excluded.address, contact = excluded.contact, retired_at = NULL",
            (coop.code, coop.name, coop.address, coop.contact),
        )
    return added, updated


async def _upsert_suppliers(
    conn: aiosqlite.Connection, suppliers: Iterable[Supplier]
) -> tuple[int, int]:
    added = updated = 0
    for supplier in suppliers:
        if await _exists(conn, "suppliers", supplier.code):
            updated += 1
        else:
            added += 1
        await conn.execute(
            "INSERT INTO suppliers (code, name, contact) VALUES (?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, contact = excluded.contact",
            (supplier.code, supplier.name, supplier.contact),
        )
    return added, updated


async def _upsert_products(
    conn: aiosqlite.Connection, products: Iterable[Product]
) -> tuple[int, int]:
    added = updated = 0
    for given in products:
        product = _with_valid_tiers(given)
        if not await _exists(conn, "suppliers", product.supplier_code):
            raise UnknownSupplier(supplier_code=product.supplier_code, product_code=product.code)
        if await _exists(conn, "products", product.code):
            updated += 1
        else:
            added += 1
        await _upsert_product(conn, product)
    return added, updated


async def _upsert_product(conn: aiosqlite.Connection, product: Product) -> None:
    await conn.execute(
        "INSERT INTO products (code, name, supplier_code, unit, contents, market_price, moq, "
        "max_per_coop, supply_cap) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "supplier_code = excluded.supplier_code, unit = excluded.unit, "
        "contents = excluded.contents, market_price = excluded.market_price, "
        "moq = excluded.moq, max_per_coop = excluded.max_per_coop, "
        "supply_cap = excluded.supply_cap, retired_at = NULL",
        (
            product.code, product.name, product.supplier_code, product.unit, product.contents,
            product.market_price, product.moq, product.max_per_coop, product.supply_cap,
        ),
    )  # fmt: skip
    await conn.execute("DELETE FROM product_tiers WHERE product_code = ?", (product.code,))
    await conn.executemany(
        "INSERT INTO product_tiers (product_code, min_total, unit_price) VALUES (?, ?, ?)",
        [(product.code, tier.min_total, tier.unit_price) for tier in product.tiers],
    )


def _with_valid_tiers(product: Product) -> Product:
    try:
        return replace(product, tiers=validate_tiers(product.tiers))
    except InvalidTiers as error:
        raise error.for_product(product.code) from error


async def list_coops(db: Database, *, include_retired: bool = True) -> list[Coop]:
    async with db.read() as conn:
        return await load_coops(conn, include_retired=include_retired)


async def retired_coops(db: Database) -> list[RetiredEntry]:
    async with db.read() as conn:
        return await load_retired(conn, "coops")


async def get_coop(db: Database, code: str) -> Coop | None:
    async with db.read() as conn:
        return await load_coop(conn, code)


async def list_suppliers(db: Database) -> list[Supplier]:
    async with db.read() as conn:
        return await load_suppliers(conn)


async def supplier_names(db: Database) -> dict[str, str]:
    """Each supplier's name by code (one statement: it is shown with every product)."""
    rows = await db.fetch_all("SELECT code, name FROM suppliers")
    return {row["code"]: row["name"] for row in rows}


async def list_products(db: Database, *, include_retired: bool = True) -> list[Product]:
    async with db.read() as conn:
        return await load_products(conn, include_retired=include_retired)


async def retired_products(db: Database) -> list[RetiredEntry]:
    async with db.read() as conn:
        return await load_retired(conn, "products")


async def get_product(db: Database, code: str) -> Product | None:
    async with db.read() as conn:
        found = await load_products(conn, [code])
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Switched:
    """What a retire or restore did: the codes it switched, and those that already were so
    (in the order given, each once)."""

    switched: tuple[str, ...]
    already: tuple[str, ...]


async def retire_products(db: Database, codes: Sequence[str], now: datetime) -> Switched:
    """Retire these products (UnknownProduct for the first unknown code: then none is)."""
    return await _switch(db, "products", codes, to_db_time(now), _unknown_product)


async def restore_products(db: Database, codes: Sequence[str]) -> Switched:
    """Make these retired products current again (UnknownProduct as `retire_products`)."""
    return await _switch(db, "products", codes, None, _unknown_product)


async def retire_coops(db: Database, codes: Sequence[str], now: datetime) -> Switched:
    """Retire these coops (UnknownCoop for the first unknown code: then none is)."""
    return await _switch(db, "coops", codes, to_db_time(now), _unknown_coop)


async def restore_coops(db: Database, codes: Sequence[str]) -> Switched:
    """Make these retired coops current again (UnknownCoop as `retire_coops`)."""
    return await _switch(db, "coops", codes, None, _unknown_coop)


def _unknown_product(code: str) -> PurchasingError:
    return UnknownProduct(product_code=code)


def _unknown_coop(code: str) -> PurchasingError:
    return UnknownCoop(coop_code=code)


async def _switch(
    db: Database,
    table: CatalogTable,
    codes: Sequence[str],
    retired_at: str | None,
    unknown: Callable[[str], PurchasingError],
) -> Switched:
    """Set `retired_at` (None: restore) of the rows of `codes` not already so, all or none.
    A row retired earlier keeps the time it was first retired."""
    wanted = list(dict.fromkeys(codes))
    marks = ", ".join("?" * len(wanted))
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT code, retired_at IS NOT NULL AS retired FROM {table} WHERE code IN ({marks})",
            wanted,
        )
        retired = {row["code"]: bool(row["retired"]) for row in rows}
        for code in wanted:
            if code not in retired:
                raise unknown(code)
        switching = [code for code in wanted if retired[code] is (retired_at is None)]
        await conn.executemany(
            f"UPDATE {table} SET retired_at = ? WHERE code = ?",
            [(retired_at, code) for code in switching],
        )
    already = tuple(code for code in wanted if code not in switching)
    return Switched(tuple(switching), already)
