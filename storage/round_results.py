"""What closing wrote down: each commitment's allocation and price, each product's result."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import aiosqlite

from purchasing.outcome import ProductResult, RoundOutcome
from storage.database import Database


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One product of a closed round as stored at close."""

    product_code: str
    total_asked: int
    total_allocated: int
    unit_price: int | None
    filled: bool


async def store_outcome(conn: aiosqlite.Connection, outcome: RoundOutcome) -> None:
    """Write each commitment's allocation and price, and each product's result.

    A product that was filled in full or not at all is one UPDATE of all its lines; only a
    product cut by its supply cap is written line by line.
    """
    cut = {result.product_code for result in outcome.products if _is_cut(result)}
    await conn.executemany(
        "UPDATE commitments SET allocated = CASE WHEN ? THEN quantity ELSE 0 END, "
        "unit_price = ? WHERE round_id = ? AND product_code = ?",
        [
            (result.filled, result.unit_price, outcome.round_id, result.product_code)
            for result in outcome.products
            if result.product_code not in cut
        ],
    )
    await conn.executemany(
        "UPDATE commitments SET allocated = ?, unit_price = ? "
        "WHERE round_id = ? AND coop_code = ? AND product_code = ?",
        [
            (line.allocated, line.unit_price, outcome.round_id, bill.coop_code, line.product_code)
            for bill in outcome.bills
            for line in bill.lines
            if line.product_code in cut
        ],
    )
    await conn.executemany(
        "INSERT OR REPLACE INTO round_results (round_id, product_code, total_asked, "
        "total_allocated, unit_price, filled) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                outcome.round_id, result.product_code, result.total_asked,
                result.total_allocated, result.unit_price, int(result.filled),
            )
            for result in outcome.products
        ],
    )  # fmt: skip


async def stored_results(db: Database, round_id: int) -> list[StoredResult]:
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT * FROM round_results WHERE round_id = ? ORDER BY product_code", (round_id,)
        )
    return [_result(row) for row in rows]


def _is_cut(result: ProductResult) -> bool:
    return result.filled and result.total_allocated < result.total_asked


def _result(row: sqlite3.Row) -> StoredResult:
    return StoredResult(
        product_code=row["product_code"],
        total_asked=row["total_asked"],
        total_allocated=row["total_allocated"],
        unit_price=row["unit_price"],
        filled=bool(row["filled"]),
    )
