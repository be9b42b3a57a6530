"""What has been ordered: a round's commitments, its totals per product, a coop's ordered
products with their round totals, and the audit log of every change. Read-only; the one
way to change a commitment is the use case `usecases.ordering.set_quantities`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from purchasing.model import AuditEntry, Commitment
from storage.database import Connection
from storage.encoding import from_db_time

_COMMITMENTS = (
    "SELECT * FROM commitments WHERE round_id = ? AND coop_code = COALESCE(?, coop_code) "
    "ORDER BY coop_code, product_code"
)
_TOTALS = (
    "SELECT product_code, SUM(quantity) AS total FROM commitments WHERE round_id = ? "
    "GROUP BY product_code ORDER BY product_code"
)


@dataclass(frozen=True, slots=True)
class OrderedProduct:
    """A product a coop ordered: its own `quantity` and the round's `total` (all coops)."""

    product_code: str
    quantity: int
    total: int


async def commitments_for_round(conn: Connection, round_id: int) -> list[Commitment]:
    return [_commitment(row) for row in await conn.fetch_all(_COMMITMENTS, (round_id, None))]


async def commitments_for_coop(conn: Connection, round_id: int, coop_code: str) -> list[Commitment]:
    return [_commitment(row) for row in await conn.fetch_all(_COMMITMENTS, (round_id, coop_code))]


async def commitments_sharing_products(
    conn: Connection, round_id: int, coop_code: str
) -> list[Commitment]:
    """Every coop's commitments to the products this coop ordered (what a supply cap's
    shares of those products depend on), by coop and product code."""
    rows = await conn.fetch_all(_SHARING, (round_id, round_id, coop_code))
    return [_commitment(row) for row in rows]


_SHARING = (
    "SELECT * FROM commitments WHERE round_id = ? AND product_code IN (SELECT product_code "
    "FROM commitments WHERE round_id = ? AND coop_code = ?) ORDER BY coop_code, product_code"
)


async def totals_for_round(conn: Connection, round_id: int) -> dict[str, int]:
    """Units ordered so far per product code (products nobody ordered are absent)."""
    return _totals(await conn.fetch_all(_TOTALS, (round_id,)))


def _totals(rows: Iterable[sqlite3.Row]) -> dict[str, int]:
    return {row["product_code"]: int(row["total"]) for row in rows}


async def ordered_with_totals(
    conn: Connection, round_id: int, coop_code: str
) -> list[OrderedProduct]:
    """The coop's ordered products with each one's round total, by product code, in one read."""
    return [
        _ordered(row) for row in await conn.fetch_all(_ORDERED_WITH_TOTALS, (round_id, coop_code))
    ]


_ORDERED_WITH_TOTALS = (
    "SELECT mine.product_code, mine.quantity, (SELECT SUM(quantity) FROM commitments AS every "
    "WHERE every.round_id = mine.round_id AND every.product_code = mine.product_code) AS total "
    "FROM commitments AS mine WHERE mine.round_id = ? AND mine.coop_code = ? "
    "ORDER BY mine.product_code"
)


def _ordered(row: sqlite3.Row) -> OrderedProduct:
    return OrderedProduct(row[0], int(row[1]), int(row[2]))


async def product_standing(
    conn: Connection, round_id: int, product_code: str, coop_code: str | None
) -> tuple[int, int]:
    """(the round's total of a product, the coop's own quantity of it; 0 when none), one read."""
    rows = await conn.fetch_all(
        "SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(CASE WHEN coop_code = ? "
        "THEN quantity END), 0) FROM commitments WHERE round_id = ? AND product_code = ?",
        (coop_code, round_id, product_code),
    )
    return int(rows[0][0]), int(rows[0][1])


async def coops_with_orders(conn: Connection, round_id: int) -> set[str]:
    rows = await conn.fetch_all(
        "SELECT DISTINCT coop_code FROM commitments WHERE round_id = ?", (round_id,)
    )
    return {row["coop_code"] for row in rows}


async def audit_log(
    conn: Connection, round_id: int, coop_code: str | None = None
) -> list[AuditEntry]:
    """Every change in the round (or of one coop), oldest first."""
    rows = await conn.fetch_all(
        "SELECT * FROM commitment_audit WHERE round_id = ? "
        "AND coop_code = COALESCE(?, coop_code) ORDER BY id",
        (round_id, coop_code),
    )
    return [
        AuditEntry(
            round_id=row["round_id"],
            coop_code=row["coop_code"],
            product_code=row["product_code"],
            old_quantity=row["old_quantity"],
            new_quantity=row["new_quantity"],
            actor=row["actor"],
            via=row["via"],
            message_id=row["message_id"],
            at=from_db_time(row["at"]),
        )
        for row in rows
    ]


def _commitment(row: sqlite3.Row) -> Commitment:
    return Commitment(
        round_id=row["round_id"],
        coop_code=row["coop_code"],
        product_code=row["product_code"],
        quantity=row["quantity"],
        actor=row["actor"],
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
    )
