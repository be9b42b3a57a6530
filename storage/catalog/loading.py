"""Loading the catalog: coops, suppliers and products with their price tiers.

`upsert_catalog` upserts by code in the caller's transaction (the use case
`usecases.catalog.import_catalog` holds it): either the whole file is taken or nothing
changes. A product's tiers are replaced, never merged. Importing a row again restores a
retired coop or product (see `storage.catalog.retirement`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from purchasing.model import Coop, Product, Supplier
from storage.database import Connection
from storage.errors import UnknownSupplier


@dataclass(frozen=True, slots=True)
class ImportCounts:
    coops_added: int = 0
    coops_updated: int = 0
    suppliers_added: int = 0
    suppliers_updated: int = 0
    products_added: int = 0
    products_updated: int = 0


async def upsert_catalog(
    conn: Connection,
    coops: Iterable[Coop] = (),
    suppliers: Iterable[Supplier] = (),
    products: Iterable[Product] = (),
) -> ImportCounts:
    async with conn.write() as tx:
        coops_added, coops_updated = await _upsert_coops(tx, coops)
        suppliers_added, suppliers_updated = await _upsert_suppliers(tx, suppliers)
        products_added, products_updated = await _upsert_products(tx, products)
    return ImportCounts(
        coops_added, coops_updated, suppliers_added, suppliers_updated, products_added,
        products_updated,
    )  # fmt: skip


async def _exists(conn: Connection, table: str, code: str) -> bool:
    rows = await conn.fetch_all(f"SELECT 1 FROM {table} WHERE code = ?", (code,))
    return bool(list(rows))


async def _upsert_coops(conn: Connection, coops: Iterable[Coop]) -> tuple[int, int]:
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


async def _upsert_suppliers(conn: Connection, suppliers: Iterable[Supplier]) -> tuple[int, int]:
    added = updated = 0
    for supplier in suppliers:
        if await _exists(conn, "suppliers", supplier.code):
            updated += 1
        else:
            added += 1
        await conn.execute(
            "INSERT INTO suppliers (code, name, contact, account) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
            "contact = excluded.contact, account = excluded.account",
            (supplier.code, supplier.name, supplier.contact, supplier.account),
        )
    return added, updated


async def _upsert_products(conn: Connection, products: Iterable[Product]) -> tuple[int, int]:
    added = updated = 0
    for product in products:
        if not await _exists(conn, "suppliers", product.supplier_code):
            raise UnknownSupplier(supplier_code=product.supplier_code, product_code=product.code)
        if await _exists(conn, "products", product.code):
            updated += 1
        else:
            added += 1
        await _upsert_product(conn, product)
    return added, updated


async def _upsert_product(conn: Connection, product: Product) -> None:
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
    await conn.execute_many(
        "INSERT INTO product_tiers (product_code, min_total, unit_price) VALUES (?, ?, ?)",
        [(product.code, tier.min_total, tier.unit_price) for tier in product.tiers],
    )
