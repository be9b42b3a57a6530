"""The catalog: coops, suppliers and products with their price tiers, read into domain values.

Loading it is `storage.catalog.loading`. Nothing is ever deleted: see
`storage.catalog.retirement` for coops and products that are *retired*. Retired ones
(migration 0008) are read like the others unless a caller asks for the current ones only
(`include_retired=False`); a new round refuses them (`purchasing.rounds.offered_products`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from purchasing.model import Coop, PriceTier, Product, Supplier
from storage.database import Connection
from storage.encoding import from_db_time

CatalogTable = Literal["coops", "products"]


@dataclass(frozen=True, slots=True)
class RetiredEntry:
    """A retired coop or product: its code, its name and when it was retired."""

    code: str
    name: str
    retired_at: datetime


async def list_coops(conn: Connection, *, include_retired: bool = True) -> list[Coop]:
    where = "" if include_retired else " WHERE retired_at IS NULL"
    rows = await conn.fetch_all(f"SELECT * FROM coops{where} ORDER BY code")
    return [_coop(row) for row in rows]


async def list_retired(conn: Connection, table: CatalogTable) -> list[RetiredEntry]:
    """The retired rows of `table`, by code."""
    rows = await conn.fetch_all(
        f"SELECT code, name, retired_at FROM {table} WHERE retired_at IS NOT NULL ORDER BY code"
    )
    return [RetiredEntry(row["code"], row["name"], from_db_time(row["retired_at"])) for row in rows]


async def get_coop(conn: Connection, code: str) -> Coop | None:
    rows = list(await conn.fetch_all("SELECT * FROM coops WHERE code = ?", (code,)))
    return _coop(rows[0]) if rows else None


async def list_suppliers(conn: Connection) -> list[Supplier]:
    rows = await conn.fetch_all("SELECT * FROM suppliers ORDER BY code")
    return [_supplier(row) for row in rows]


async def list_products(
    conn: Connection,
    codes: Sequence[str] | None = None,
    *,
    include_retired: bool = True,
) -> list[Product]:
    """Products by code order (all, or those of `codes` that exist)."""
    where = "" if include_retired else " WHERE retired_at IS NULL"
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(f"SELECT * FROM products{where} ORDER BY code")
        tier_rows = await snap.fetch_all(
            "SELECT * FROM product_tiers ORDER BY product_code, min_total"
        )
    tiers: dict[str, list[PriceTier]] = {}
    for tier in tier_rows:
        tiers.setdefault(tier["product_code"], []).append(
            PriceTier(tier["min_total"], tier["unit_price"])
        )
    wanted = None if codes is None else set(codes)
    return [
        _product(row, tiers.get(row["code"], []))
        for row in rows
        if wanted is None or row["code"] in wanted
    ]


async def products_with_standing(
    conn: Connection, codes: Sequence[str]
) -> tuple[list[Product], set[str]]:
    """The products of `codes` that exist, and which of them are retired (one snapshot)."""
    async with conn.snapshot() as snap:
        found = await list_products(snap, codes)
        retired = {entry.code for entry in await list_retired(snap, "products")}
    return found, retired & {product.code for product in found}


async def supplier_names(conn: Connection) -> dict[str, str]:
    """Each supplier's name by code (one statement: it is shown with every product)."""
    rows = await conn.fetch_all("SELECT code, name FROM suppliers")
    return {row["code"]: row["name"] for row in rows}


async def get_product(conn: Connection, code: str) -> Product | None:
    found = await list_products(conn, [code])
    return found[0] if found else None


def _coop(row: sqlite3.Row) -> Coop:
    return Coop(row["code"], row["name"], row["address"], row["contact"])


def _supplier(row: sqlite3.Row) -> Supplier:
    return Supplier(row["code"], row["name"], row["contact"], row["account"])


def _product(row: sqlite3.Row, tiers: list[PriceTier]) -> Product:
    return Product(
        code=row["code"],
        name=row["name"],
        supplier_code=row["supplier_code"],
        unit=row["unit"],
        contents=row["contents"],
        market_price=row["market_price"],
        tiers=tuple(tiers),
        moq=row["moq"],
        max_per_coop=row["max_per_coop"],
        supply_cap=row["supply_cap"],
    )
