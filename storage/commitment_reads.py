"""What has been ordered: a round's commitments, its totals per product, a coop's ordered
products with their round totals, and the audit log of every change. Read-only; the one
way to change a commitment is the use case `usecases.ordering.set_quantities`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from purchasing.estimate import OTHER_COOPS, CoopLine, share_counted
from purchasing.model import AuditEntry, Commitment
from storage.database import Connection
from storage.encoding import from_db_time

_COMMITMENTS = (
    "SELECT * FROM commitments WHERE round_id = ? AND coop_code = COALESCE(?, coop_code) "
    "ORDER BY coop_code, product_code"
)
_TOTALS = (
    "SELECT product_code, units AS total FROM units_ordered WHERE round_id = ? AND units > 0 "
    "ORDER BY product_code"
)


@dataclass(frozen=True, slots=True)
class OrderedProduct:
    """A product a coop ordered: its own `quantity` and the round's `total` (all coops)."""

    product_code: str
    quantity: int
    total: int


async def commitments_for_round(conn: Connection, round_id: int) -> list[Commitment]:
    return [_commitment(row) for row in await conn.fetch_all(_COMMITMENTS, (round_id, None))]


async def last_change(conn: Connection) -> int:
    """The id of the latest change of any commitment (0: none yet). Every change is audited
    in its own transaction, so while this id stays the same no commitment has changed."""
    rows = await conn.fetch_all("SELECT COALESCE(MAX(id), 0) FROM commitment_audit")
    return int(rows[0][0])


async def commitments_for_coop(conn: Connection, round_id: int, coop_code: str) -> list[Commitment]:
    return [_commitment(row) for row in await conn.fetch_all(_COMMITMENTS, (round_id, coop_code))]


async def commitments_sharing_products(
    conn: Connection, round_id: int, coop_code: str
) -> list[Commitment]:
    """What this coop's estimate depends on (`purchasing.estimate.coop_estimates`), in two
    reads at most, however many coops ordered the same products: the coop's own commitments;
    for each of its products whose supply cap the round's total exceeds, every other coop's
    commitment too (its share depends on each of them); for each other product, the other
    coops' total as ONE commitment of `OTHER_COOPS` (only the total decides the MOQ, the
    tier price and that nobody is cut). By coop and product code."""
    async with conn.snapshot() as snap:
        mine = await snap.fetch_all(_MINE_WITH_TOTALS, (round_id, coop_code))
        over = [row["product_code"] for row in mine if _over_cap(row)]
        shared = []
        if over:
            marks = ", ".join("?" * len(over))
            shared = await snap.fetch_all(_OTHERS % marks, (round_id, coop_code, *over))
    found = [_commitment(row) for row in shared]
    for row in mine:
        own = _commitment(row)
        found.append(own)
        rest = int(row["total"]) - own.quantity
        if rest > 0 and not _over_cap(row):
            found.append(replace(own, coop_code=OTHER_COOPS, quantity=rest, actor=""))
    return sorted(found, key=lambda commitment: (commitment.coop_code, commitment.product_code))


_MINE_WITH_TOTALS = (
    "SELECT mine.*, item.supply_cap, (SELECT every.units FROM units_ordered AS every "
    "WHERE every.round_id = mine.round_id AND every.product_code = mine.product_code) AS total "
    "FROM commitments AS mine LEFT JOIN round_items AS item "
    "ON item.round_id = mine.round_id AND item.product_code = mine.product_code "
    "WHERE mine.round_id = ? AND mine.coop_code = ?"
)
_OTHERS = "SELECT * FROM commitments WHERE round_id = ? AND coop_code != ? AND product_code IN (%s)"


async def coop_lines(conn: Connection, round_id: int, coop_code: str) -> list[CoopLine]:
    """What this coop's estimate depends on (`purchasing.estimate.estimate_of`), in ONE
    statement: each product the coop ordered with its quantity and the round's total (kept
    in `units_ordered`, migration 0024: one lookup each); for a product whose total exceeds
    its supply cap, the coop's share, counted over every coop's line in SQLite (see
    `COOP_LINES`).
    (`storage.commitments.write_changes_reading_lines` reads the same after an order.)"""
    return lines_of(await conn.fetch_all(COOP_LINES, (round_id, coop_code, round_id)))


def lines_of(rows: Iterable[Sequence[object]]) -> list[CoopLine]:
    """The coop's lines from the rows of `COOP_LINES`."""
    return [_line(*row) for row in rows]


def _line(
    code: object, quantity: object, total: object, cap: object, handed: object, ahead: object
) -> CoopLine:
    share = None
    if handed is not None:  # over its cap
        share = share_counted(_int(cap), _int(quantity), _int(total), _int(handed), _int(ahead))
    return CoopLine(str(code), _int(quantity), _int(total), share=share)


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


# The coop's lines: its product, quantity and the round's total; for a product over its cap,
# the cap and what `purchasing.estimate.share_counted` needs, counted over every coop's
# line of it in SQLite (the units each is handed before the left-overs, and how many come
# before this coop in the order the left-overs go: larger remainder, then earlier
# `created_at` (stored as fixed-width UTC text, so text order is time order), then coop
# code), instead of reading every coop's line into Python on every order. LEFT JOIN: SQLite
# keeps that order, so only the coop's own few lines are looked up by product.
COOP_LINES = (
    "WITH mine AS MATERIALIZED (SELECT mine.coop_code, mine.product_code, mine.quantity, "
    "mine.created_at, item.supply_cap AS cap, "
    "(SELECT every.units FROM units_ordered AS every WHERE every.round_id = mine.round_id "
    "AND every.product_code = mine.product_code) AS total "
    "FROM commitments AS mine LEFT JOIN round_items AS item "
    "ON item.round_id = mine.round_id AND item.product_code = mine.product_code "
    "WHERE mine.round_id = ? AND mine.coop_code = ?) "
    "SELECT mine.product_code, mine.quantity, mine.total, mine.cap, "
    "SUM((every.quantity * mine.cap) / mine.total), "
    "SUM(((every.quantity * mine.cap) % mine.total) > ((mine.quantity * mine.cap) % mine.total)) "
    "+ CASE WHEN mine.total > mine.cap THEN (SELECT COUNT(*) FROM commitments AS tie "
    "WHERE tie.round_id = ?3 AND tie.product_code = mine.product_code "
    "AND ((tie.quantity * mine.cap) % mine.total) = ((mine.quantity * mine.cap) % mine.total) "
    "AND (tie.created_at, tie.coop_code) < (mine.created_at, mine.coop_code)) END "
    "FROM mine LEFT JOIN commitments AS every ON mine.total > mine.cap "
    "AND every.round_id = ?3 AND every.product_code = mine.product_code "
    "GROUP BY mine.product_code"
)


# A share over a supply cap counts every coop's line of the product; a brief trip counts it
# for up to this many lines (about 0.3 ms: see `storage.database`), SQLite's thread beyond.
BRIEF_SHARE_LINES = 500


def coop_lines_briefly(
    conn: sqlite3.Connection, round_id: int, coop_code: str
) -> list[CoopLine] | None:
    """Inside a trip (on the loop's thread in a brief one): the coop's lines as `COOP_LINES`
    reads them, fit for a brief trip (see `storage.database`): one lookup per line, and for a
    line over its supply cap every coop's line of that product, as long as those are at most
    `BRIEF_SHARE_LINES` in all; None beyond (then read `coop_lines` on SQLite's thread)."""
    rows = conn.execute(_MINE_BRIEFLY, (round_id, coop_code)).fetchall()
    shared = sum(coops for _, _, total, cap, coops in rows if cap is not None and total > cap)
    if shared > BRIEF_SHARE_LINES:
        return None
    if shared:
        return lines_of(conn.execute(COOP_LINES, (round_id, coop_code, round_id)).fetchall())
    return [CoopLine(str(code), int(quantity), int(total)) for code, quantity, total, *_ in rows]


_MINE_BRIEFLY = (
    "SELECT mine.product_code, mine.quantity, every.units, item.supply_cap, every.coops "
    "FROM commitments AS mine LEFT JOIN units_ordered AS every "
    "ON every.round_id = mine.round_id AND every.product_code = mine.product_code "
    "LEFT JOIN round_items AS item "
    "ON item.round_id = mine.round_id AND item.product_code = mine.product_code "
    "WHERE mine.round_id = ? AND mine.coop_code = ? ORDER BY mine.product_code"
)


def _over_cap(row: sqlite3.Row) -> bool:
    cap = row["supply_cap"]
    return cap is not None and int(row["total"]) > cap


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
    "SELECT mine.product_code, mine.quantity, (SELECT every.units FROM units_ordered AS every "
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
        "SELECT COALESCE((SELECT units FROM units_ordered WHERE round_id = ?1 "
        "AND product_code = ?2), 0), COALESCE((SELECT quantity FROM commitments "
        "WHERE round_id = ?1 AND coop_code = ?3 AND product_code = ?2), 0)",
        (round_id, product_code, coop_code),
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
