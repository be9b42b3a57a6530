"""Commitments (pesanan): a coop's quantity of one product in one round, and their audit log.

`set_commitment` is the one use case every transport calls to set, change or remove
(quantity 0) a quantity: it validates against the round, writes and audits in ONE
`BEGIN IMMEDIATE` transaction, so concurrent writers (tasks or processes) never lose an
update and every audit row's `old` is the quantity the previous change left.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from purchasing.errors import UnknownCoop
from purchasing.model import AuditEntry, Commitment, RoundItem
from purchasing.rounds import check_commitment
from storage.catalog_rows import load_coop
from storage.database import Database
from storage.encoding import from_db_time, to_db_time
from storage.round_rows import require_round


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
        round_ = await require_round(conn, round_id)
        key = (round_id, coop_code, product_code)
        old = await _quantity(conn, key)
        if relative:
            quantity = old + quantity
        item = check_commitment(round_, product_code, quantity, now)
        if await load_coop(conn, coop_code) is None:
            raise UnknownCoop(coop_code=coop_code)
        if old != quantity:
            await _write(conn, key, quantity, actor, to_db_time(now))
            await conn.execute(
                "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
                "new_quantity, actor, via, message_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, old, quantity, actor, via, message_id, to_db_time(now)),
            )
    return CommitmentChange(old, quantity, item)


async def _quantity(conn: aiosqlite.Connection, key: tuple[int, str, str]) -> int:
    rows = list(
        await conn.execute_fetchall(
            "SELECT quantity FROM commitments "
            "WHERE round_id = ? AND coop_code = ? AND product_code = ?",
            key,
        )
    )
    return int(rows[0]["quantity"]) if rows else 0


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


async def load_commitments(
    conn: aiosqlite.Connection, round_id: int, coop_code: str | None = None
) -> list[Commitment]:
    rows = await conn.execute_fetchall(
        "SELECT * FROM commitments WHERE round_id = ? AND coop_code = COALESCE(?, coop_code) "
        "ORDER BY coop_code, product_code",
        (round_id, coop_code),
    )
    return [_commitment(row) for row in rows]


async def commitments_for_round(db: Database, round_id: int) -> list[Commitment]:
    async with db.read() as conn:
        return await load_commitments(conn, round_id)


async def commitments_for_coop(db: Database, round_id: int, coop_code: str) -> list[Commitment]:
    async with db.read() as conn:
        return await load_commitments(conn, round_id, coop_code)


async def load_totals(conn: aiosqlite.Connection, round_id: int) -> dict[str, int]:
    rows = await conn.execute_fetchall(
        "SELECT product_code, SUM(quantity) AS total FROM commitments WHERE round_id = ? "
        "GROUP BY product_code ORDER BY product_code",
        (round_id,),
    )
    return {row["product_code"]: int(row["total"]) for row in rows}


async def totals_for_round(db: Database, round_id: int) -> dict[str, int]:
    """Units ordered so far per product code (products nobody ordered are absent)."""
    async with db.read() as conn:
        return await load_totals(conn, round_id)


async def coops_with_orders(db: Database, round_id: int) -> set[str]:
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT DISTINCT coop_code FROM commitments WHERE round_id = ?", (round_id,)
        )
    return {row["coop_code"] for row in rows}


async def audit_log(db: Database, round_id: int, coop_code: str | None = None) -> list[AuditEntry]:
    """Every change in the round (or of one coop), oldest first."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
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
