"""Commitments (pesanan): a coop's quantity of one product in one round, and their audit log.

`set_commitment` is the one use case every transport calls to set, change or remove
(quantity 0) a quantity: it validates against the round, writes and audits in ONE
`BEGIN IMMEDIATE` transaction, so concurrent writers (tasks or processes) never lose an
update and every audit row's `old` is the quantity the previous change left.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from purchasing.errors import UnknownCoop
from purchasing.model import AuditEntry, Commitment, RoundItem
from purchasing.rounds import check_commitment
from storage.database import Database
from storage.encoding import from_db_time, to_db_time
from storage.errors import UnknownRound
from storage.round_cache import load_remembered


@dataclass(frozen=True, slots=True)
class CommitmentChange:
    """What `set_commitment` did: `old` → `new` units of `item` (equal when nothing changed)."""

    old: int
    new: int
    item: RoundItem

    @property
    def changed(self) -> bool:
        return self.old != self.new


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
    """Set a coop's quantity (0 removes it), or with `relative` add `quantity` (which may be
    negative) to it in the same transaction, so two quick button presses both count.
    Raises the errors of `check_commitment`, UnknownRound and UnknownCoop, and then
    changes nothing."""
    async with db.transaction() as conn:
        key = (round_id, coop_code, product_code)
        known = await _before_change(conn, key)
        version = None if known is None else int(known["version"])
        round_ = None if known is None else await load_remembered(db, conn, round_id, version)
        if known is None or round_ is None:
            raise UnknownRound(round_id=round_id)
        old = int(known["quantity"] or 0)
        if relative:
            quantity = old + quantity
        item = check_commitment(round_, product_code, quantity, now)
        if not known["coop_known"]:
            raise UnknownCoop(coop_code=coop_code)
        if old != quantity:
            await _write(conn, key, quantity, actor, to_db_time(now))
            await conn.execute(
                "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
                "new_quantity, actor, via, message_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, old, quantity, actor, via, message_id, to_db_time(now)),
            )
    return CommitmentChange(old, quantity, item)


async def _before_change(
    conn: aiosqlite.Connection, key: tuple[int, str, str]
) -> sqlite3.Row | None:
    """In one statement: the round's version, the current quantity, whether the coop exists."""
    round_id, coop_code, product_code = key
    rows = list(
        await conn.execute_fetchall(
            "SELECT version, (SELECT quantity FROM commitments WHERE round_id = ? "
            "AND coop_code = ? AND product_code = ?) AS quantity, "
            "EXISTS (SELECT 1 FROM coops WHERE code = ?) AS coop_known "
            "FROM rounds WHERE id = ?",
            (round_id, coop_code, product_code, coop_code, round_id),
        )
    )
    return rows[0] if rows else None


async def _write(
    conn: aiosqlite.Connection, key: tuple[int, str, str], quantity: int, actor: str, at: str
) -> None:
    if quantity == 0:
        await conn.execute(
            "DELETE FROM commitments WHERE round_id = ? AND coop_code = ? AND product_code = ?",
            key,
        )
        return
    await conn.execute(
        "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (round_id, coop_code, product_code) DO UPDATE SET "
        "quantity = excluded.quantity, actor = excluded.actor, updated_at = excluded.updated_at",
        (*key, quantity, actor, at, at),
    )


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


async def load_commitments(
    conn: aiosqlite.Connection, round_id: int, coop_code: str | None = None
) -> list[Commitment]:
    rows = await conn.execute_fetchall(_COMMITMENTS, (round_id, coop_code))
    return [_commitment(row) for row in rows]


async def commitments_for_round(db: Database, round_id: int) -> list[Commitment]:
    return [_commitment(row) for row in await db.fetch_all(_COMMITMENTS, (round_id, None))]


async def commitments_for_coop(db: Database, round_id: int, coop_code: str) -> list[Commitment]:
    return [_commitment(row) for row in await db.fetch_all(_COMMITMENTS, (round_id, coop_code))]


async def load_totals(conn: aiosqlite.Connection, round_id: int) -> dict[str, int]:
    return _totals(await conn.execute_fetchall(_TOTALS, (round_id,)))


async def totals_for_round(db: Database, round_id: int) -> dict[str, int]:
    """Units ordered so far per product code (products nobody ordered are absent)."""
    return _totals(await db.fetch_all(_TOTALS, (round_id,)))


def _totals(rows: Iterable[sqlite3.Row]) -> dict[str, int]:
    return {row["product_code"]: int(row["total"]) for row in rows}


async def ordered_with_totals(db: Database, round_id: int, coop_code: str) -> list[OrderedProduct]:
    """The coop's ordered products with each one's round total, by product code, in one read."""
    rows = await db.fetch_all(
        "SELECT mine.product_code, mine.quantity, (SELECT SUM(quantity) FROM commitments AS every "
        "WHERE every.round_id = mine.round_id AND every.product_code = mine.product_code) AS total "
        "FROM commitments AS mine WHERE mine.round_id = ? AND mine.coop_code = ? "
        "ORDER BY mine.product_code",
        (round_id, coop_code),
    )
    return [OrderedProduct(row[0], int(row[1]), int(row[2])) for row in rows]


async def product_standing(
    db: Database, round_id: int, product_code: str, coop_code: str | None
) -> tuple[int, int]:
    """(the round's total of a product, the coop's own quantity of it; 0 when none), one read."""
    rows = await db.fetch_all(
        "SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(CASE WHEN coop_code = ? "
        "THEN quantity END), 0) FROM commitments WHERE round_id = ? AND product_code = ?",
        (coop_code, round_id, product_code),
    )
    return int(rows[0][0]), int(rows[0][1])


async def coops_with_orders(db: Database, round_id: int) -> set[str]:
    rows = await db.fetch_all(
        "SELECT DISTINCT coop_code FROM commitments WHERE round_id = ?", (round_id,)
    )
    return {row["coop_code"] for row in rows}


async def audit_log(db: Database, round_id: int, coop_code: str | None = None) -> list[AuditEntry]:
    """Every change in the round (or of one coop), oldest first."""
    rows = await db.fetch_all(
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
