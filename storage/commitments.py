"""Commitments (pesanan): a coop's quantities in a round, written with their audit rows.

SQL only. The use case that sets quantities (`usecases.ordering.set_quantities`) holds the
`BEGIN IMMEDIATE` transaction: it reads where the order stands (`order_state`, one
statement), asks the domain whether each change may happen, and writes the changes and
their audit rows (`write_changes`, one trip; `write_changes_reading_lines` also reads
what the coop's estimate needs in that trip; a chat's usual order does all of it in one brief
trip with `order_state_in` and `write_changes_in`), so concurrent writers (tasks or
processes) never lose an update and every audit row's `old` is the quantity the previous
change left. Each product's round total is kept by triggers in `units_ordered` (migration
0024).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from purchasing.estimate import CoopLine
from storage.commitment_reads import COOP_LINES, lines_of
from storage.database import Connection, Row
from storage.encoding import to_db_time


@dataclass(frozen=True, slots=True)
class OrderState:
    """Where an order stands before it changes anything: the round's version (None: no such
    round), whether the coop exists and is retired, and for each product asked about the
    coop's quantity and the round's total (all coops; absent: nobody ordered it)."""

    round_version: int | None
    coop_exists: bool
    coop_retired: bool
    standing: dict[str, tuple[int, int]] = field(default_factory=dict)  # code: (mine, total)


@dataclass(frozen=True, slots=True)
class Audit:
    """Who made a change and through which chat, for the audit log."""

    actor: str
    via: str
    message_id: str = ""


# The round's version and whether the coop exists (and is retired), as the first row.
_HEAD = (
    "SELECT 'round' AS kind, version AS a, "
    "(SELECT COALESCE(retired_at, '') FROM coops WHERE code = ?) AS b, NULL AS code "
    "FROM rounds WHERE id = ? UNION ALL "
)


async def order_state(
    conn: Connection, round_id: int, coop_code: str, product_codes: Sequence[str]
) -> OrderState:
    """One statement (it runs on every order): the round's totals from `units_ordered`
    (migration 0024) and the coop's own quantities, each by its key."""
    return _order_state_of(
        await conn.fetch_all(*_order_state_sql(round_id, coop_code, product_codes))
    )


def order_state_in(
    conn: sqlite3.Connection, round_id: int, coop_code: str, product_codes: Sequence[str]
) -> OrderState:
    """`order_state` on SQLite's thread, for work that goes on in the same trip
    (`Connection.in_one_trip`)."""
    return _order_state_of(
        conn.execute(*_order_state_sql(round_id, coop_code, product_codes)).fetchall()
    )


def _order_state_sql(
    round_id: int, coop_code: str, product_codes: Sequence[str]
) -> tuple[str, tuple[object, ...]]:
    codes = list(dict.fromkeys(product_codes))
    sql = (
        _HEAD + "SELECT 'product', COALESCE((SELECT mine.quantity FROM commitments AS mine "
        "WHERE mine.round_id = every.round_id AND mine.coop_code = ? "
        "AND mine.product_code = every.product_code), 0), every.units, "
        "every.product_code FROM units_ordered AS every "
        f"WHERE every.round_id = ? AND every.product_code IN ({_marks(codes)}) "
        "AND every.units > 0"
    )
    return sql, (coop_code, round_id, coop_code, round_id, *codes)


def _order_state_of(rows: Sequence[Row]) -> OrderState:
    products = [row for row in rows if row["kind"] != "round"]
    return _state(rows, {row["code"]: (int(row["a"]), int(row["b"])) for row in products})


async def coop_order_state(
    conn: Connection,
    round_id: int,
    coop_code: str,
    product_codes: Sequence[str],
    totals: Mapping[str, int],
) -> OrderState:
    """`order_state` for a caller that keeps the round's totals itself (`totals`: units
    per product so far): reads only this coop's rows (its key), not every coop's."""
    codes = list(dict.fromkeys(product_codes))
    rows = await conn.fetch_all(
        _HEAD + "SELECT 'product', quantity, NULL, product_code FROM commitments "
        f"WHERE round_id = ? AND coop_code = ? AND product_code IN ({_marks(codes)})",
        (coop_code, round_id, round_id, coop_code, *codes),
    )
    mine = {row["code"]: int(row["a"]) for row in rows if row["kind"] != "round"}
    standing = {
        code: (mine.get(code, 0), totals.get(code, 0))
        for code in codes
        if code in mine or code in totals
    }
    return _state(rows, standing)


def _marks(codes: Sequence[str]) -> str:
    return ", ".join("?" * len(codes)) or "NULL"


def _state(rows: Sequence[Row], standing: dict[str, tuple[int, int]]) -> OrderState:
    head = next((row for row in rows if row["kind"] == "round"), None)
    if head is None:
        return OrderState(None, False, False)
    return OrderState(int(head["a"]), head["b"] is not None, bool(head["b"]), standing)


async def write_changes(
    conn: Connection,
    round_id: int,
    coop_code: str,
    changes: Sequence[tuple[str, int, int]],
    audit: Audit,
    now: datetime,
) -> None:
    """Write (product code, old, new) changes of one coop and an audit row for each, in
    one trip; a new quantity of 0 removes the commitment, so the coop gives up its place
    in a supply cap's ties (`created_at`, kept by a change; a new order gets `now`)."""
    if changes:
        await conn.in_one_trip(partial(write_changes_in, round_id, coop_code, changes, audit, now))


async def write_changes_reading_lines(
    conn: Connection,
    round_id: int,
    coop_code: str,
    changes: Sequence[tuple[str, int, int]],
    audit: Audit,
    now: datetime,
) -> list[CoopLine]:
    """`write_changes`, then the coop's lines as `storage.commitment_reads.coop_lines`
    reads them, in the same trip (the reply to every order shows the coop's estimate)."""
    return await conn.in_one_trip(
        partial(write_changes_reading_lines_in, round_id, coop_code, changes, audit, now)
    )


def write_changes_reading_lines_in(
    round_id: int,
    coop_code: str,
    changes: Sequence[tuple[str, int, int]],
    audit: Audit,
    now: datetime,
    conn: sqlite3.Connection,
) -> list[CoopLine]:
    """`write_changes_reading_lines` on SQLite's thread, for work that began in the same
    trip (`Connection.in_one_trip`)."""
    if changes:
        write_changes_in(round_id, coop_code, changes, audit, now, conn)
    return lines_of(conn.execute(COOP_LINES, (round_id, coop_code, round_id)).fetchall())


def write_changes_in(
    round_id: int,
    coop_code: str,
    changes: Sequence[tuple[str, int, int]],
    audit: Audit,
    now: datetime,
    conn: sqlite3.Connection,
) -> None:
    """`write_changes` on SQLite's thread, for work that began in the same trip (each
    commitment's row and its audit row; `units_ordered` follows by itself, migration 0024)."""
    at = to_db_time(now)
    removed = [(round_id, coop_code, code) for code, _, new in changes if new == 0]
    kept = [
        (round_id, coop_code, code, new, audit.actor, at, at) for code, _, new in changes if new
    ]
    conn.executemany(_DELETE, removed)
    conn.executemany(_UPSERT, kept)
    conn.executemany(
        _AUDIT,
        [
            (round_id, coop_code, code, old, new, audit.actor, audit.via, audit.message_id, at)
            for code, old, new in changes
        ],
    )


_DELETE = "DELETE FROM commitments WHERE round_id = ? AND coop_code = ? AND product_code = ?"
_UPSERT = (
    "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (round_id, coop_code, product_code) DO UPDATE SET "
    "quantity = excluded.quantity, actor = excluded.actor, updated_at = excluded.updated_at"
)
_AUDIT = (
    "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
    "new_quantity, actor, via, message_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
