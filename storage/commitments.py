"""Commitments (pesanan): a coop's quantity of one product in one round, and their audit log.

`set_commitment` is the one use case every transport calls to set, change or remove
(quantity 0) a quantity: it validates against the round, writes and audits in ONE
`BEGIN IMMEDIATE` transaction, so concurrent writers (tasks or processes) never lose an
update and every audit row's `old` is the quantity the previous change left. It runs on
every order, so that transaction is one trip to SQLite's thread (`Database.in_one_trip`),
checked against the remembered round (`storage.round_cache`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from purchasing.errors import PurchasingError, UnknownCoop
from purchasing.model import RoundItem
from purchasing.rounds import check_commitment
from storage.commitment_reads import OrderedProduct, ordered_with_totals_in
from storage.database import Connection, Database
from storage.encoding import to_db_time
from storage.errors import CoopRetired, UnknownRound
from storage.round_cache import load_remembered, remembered


@dataclass(frozen=True, slots=True)
class CommitmentChange:
    """What `set_commitment` did: `old` → `new` units of `item` (equal when nothing changed),
    and the round's `total` of that product right after it (all coops)."""

    old: int
    new: int
    item: RoundItem
    total: int

    @property
    def total_before(self) -> int:
        return self.total - (self.new - self.old)

    @property
    def changed(self) -> bool:
        return self.old != self.new


async def set_commitment(
    conn: Connection,
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
    Raises the errors of `check_commitment`, UnknownRound, UnknownCoop and CoopRetired, and
    then changes nothing."""
    order = _Order(round_id, coop_code, ((product_code, quantity),), relative, now)
    done = await _apply(conn, order, (actor, via, message_id, to_db_time(now)), with_ordered=False)
    result = done.results[0]
    if isinstance(result, PurchasingError):
        raise result
    return result


@dataclass(frozen=True, slots=True)
class Applied:
    """What `set_commitments` did to each (product, quantity), in order: the change, or the
    error that refused it (then that line changed nothing); and the coop's ordered products
    with their round totals right after, as `ordered_with_totals` reads them."""

    results: list[CommitmentChange | PurchasingError]
    ordered: list[OrderedProduct]


async def set_commitments(
    conn: Connection,
    *,
    round_id: int,
    coop_code: str,
    quantities: Sequence[tuple[str, int]],
    actor: str,
    via: str,
    message_id: str = "",
    now: datetime,
) -> Applied:
    """`set_commitment` for each (product code, quantity) of one coop, one after the other
    in ONE transaction (one trip to SQLite's thread); a refused line does not stop the
    others. Raises UnknownRound or CoopRetired (and then changes nothing)."""
    order = _Order(round_id, coop_code, tuple(quantities), False, now)
    return await _apply(conn, order, (actor, via, message_id, to_db_time(now)), with_ordered=True)


@dataclass(frozen=True, slots=True)
class _Order:
    round_id: int
    coop_code: str
    quantities: tuple[tuple[str, int], ...]
    relative: bool
    now: datetime


class _RoundNotRemembered(Exception):
    """The round's current version was never read by this process (nothing was written)."""


async def _apply(
    conn: Connection, order: _Order, audit: tuple[str, str, str, str], *, with_ordered: bool
) -> Applied:
    while True:
        try:
            return await conn.in_one_trip(
                partial(_apply_in, conn.database, order, audit, with_ordered)
            )
        except _RoundNotRemembered:
            pass
        async with conn.snapshot() as snap:  # remember the round, then try again
            if await load_remembered(snap, order.round_id) is None:
                raise UnknownRound(round_id=order.round_id)


def _apply_in(
    db: Database,
    order: _Order,
    audit: tuple[str, str, str, str],
    with_ordered: bool,
    conn: sqlite3.Connection,
) -> Applied:
    """Inside `db.in_one_trip`'s transaction (on SQLite's thread)."""
    results: list[CommitmentChange | PurchasingError] = []
    for product_code, quantity in order.quantities:
        try:
            results.append(_change_in(db, order, product_code, quantity, audit, conn))
        except PurchasingError as error:
            results.append(error)
    ordered = []
    if with_ordered:
        ordered = ordered_with_totals_in(conn, order.round_id, order.coop_code)
    return Applied(results, ordered)


def _change_in(
    db: Database,
    order: _Order,
    product_code: str,
    quantity: int,
    audit: tuple[str, str, str, str],
    conn: sqlite3.Connection,
) -> CommitmentChange:
    """Check and write one change and its audit row."""
    key = (order.round_id, order.coop_code, product_code)
    before = (*key, order.coop_code, order.round_id, product_code, order.round_id)
    known = conn.execute(_BEFORE_CHANGE, before).fetchone()
    if known is None:
        raise UnknownRound(round_id=order.round_id)
    round_ = remembered(db, order.round_id, int(known["version"]))
    if round_ is None:
        raise _RoundNotRemembered()
    if known["coop_retired_at"]:  # a StorageError: the whole order is refused, with one message
        raise CoopRetired(coop_code=order.coop_code)
    old = int(known["quantity"] or 0)
    if order.relative:
        quantity = old + quantity
    item = check_commitment(round_, product_code, quantity, order.now)
    if known["coop_retired_at"] is None:
        raise UnknownCoop(coop_code=order.coop_code)
    if old != quantity:
        if quantity == 0:
            conn.execute(_DELETE, key)
        else:
            conn.execute(_UPSERT, (*key, quantity, audit[0], audit[3], audit[3]))
        conn.execute(_AUDIT, (*key, old, quantity, *audit))
    total = int(known["total"]) - old + quantity
    return CommitmentChange(old, quantity, item, total)


# In one statement: the round's version, the current quantity, whether the coop exists and
# is retired (coop_retired_at: NULL when there is no such coop, '' when it is current, else
# when it was retired), and the product's total so far (for progress posts, see
# handlers.announcements).
_BEFORE_CHANGE = (
    "SELECT version, (SELECT quantity FROM commitments WHERE round_id = ? "
    "AND coop_code = ? AND product_code = ?) AS quantity, "
    "(SELECT COALESCE(retired_at, '') FROM coops WHERE code = ?) AS coop_retired_at, "
    "(SELECT COALESCE(SUM(quantity), 0) FROM commitments WHERE round_id = ? "
    "AND product_code = ?) AS total "
    "FROM rounds WHERE id = ?"
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
