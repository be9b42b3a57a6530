"""Rounds (putaran) in the database: creating, opening, extending, cancelling and closing.

The rules of each move are `purchasing.rounds`; this module loads the round, asks the
rule, and writes the result with a conditional `UPDATE ... WHERE status = ?` inside ONE
`BEGIN IMMEDIATE` transaction, so two tasks or processes can never both make a move.

`close_round` is safe to call from a sweep that runs twice, late, or in two processes:
exactly one caller gets the outcome, the others get None. Its `on_closed` hook runs in
the same transaction, so whatever it writes (e.g. outbox rows) exists if and only if the
round is closed.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from purchasing import rounds as rules
from purchasing.model import MoqPolicy, Round, RoundItem, RoundStatus
from purchasing.outcome import RoundOutcome, compute_outcome
from storage.catalog import require_products
from storage.commitment_reads import commitments_for_round, totals_for_round
from storage.database import Connection
from storage.encoding import from_db_time, to_db_time
from storage.errors import AnotherRoundOpen
from storage.round_cache import load_remembered, remembered
from storage.round_parties import RoundParties, current_parties, keep_parties, parties_for
from storage.round_results import store_outcome
from storage.round_rows import load_rounds, replace_items, require_round, save_round

OnClosed = Callable[[Connection, Round, RoundOutcome], Awaitable[None]]
OnExtended = Callable[[Connection, Round], Awaitable[None]]
# Staff moved a round (extended or cancelled it): (before, after), inside the move's transaction.
OnMoved = Callable[[Connection, Round, Round], Awaitable[None]]


async def create_round(
    conn: Connection,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    product_codes: Sequence[str],
    delivery_note: str = "",
    moq_policy: MoqPolicy = MoqPolicy.DROP,
    extend_hours: int = 0,
    *,
    now: datetime | None = None,
    open_now: bool = False,
) -> Round:
    """A draft round listing the products as the catalog has them now (UnknownProduct if not);
    with `open_now`, opened at `now` in the same transaction (nothing is kept if it cannot)."""
    codes = list(dict.fromkeys(product_codes))
    async with conn.write() as tx:
        products = await require_products(tx, codes)
        cursor = await tx.execute(
            "INSERT INTO rounds (name, opens_at, closes_at, delivery_note, moq_policy, "
            "extend_hours, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                name, to_db_time(opens_at), to_db_time(closes_at), delivery_note,
                moq_policy.value, extend_hours, to_db_time(now or datetime.now(UTC)),
            ),
        )  # fmt: skip
        round_id = int(cursor.lastrowid or 0)
        await replace_items(tx, round_id, [RoundItem.snapshot(p) for p in products])
        if open_now:
            return await _open(tx, round_id, now or datetime.now(UTC))
        return await require_round(tx, round_id)


async def open_round(conn: Connection, round_id: int, now: datetime) -> Round:
    """draft → open, prices snapshotted again from the current catalog."""
    async with conn.write() as tx:
        return await _open(tx, round_id, now)


async def _open(conn: Connection, round_id: int, now: datetime) -> Round:
    round_ = await require_round(conn, round_id)
    if round_.status is RoundStatus.DRAFT:
        await _refuse_a_second_open_round(conn)
    codes = [item.product_code for item in round_.items]
    opened = rules.open_round(round_, await require_products(conn, codes), now)
    await _save(conn, opened, expected=round_.status)
    await replace_items(conn, round_id, opened.items)
    return opened


async def _refuse_a_second_open_round(conn: Connection) -> None:
    """AnotherRoundOpen while a round is open (checked inside the opening transaction)."""
    rows = list(
        await conn.fetch_all(
            "SELECT id, name, closes_at FROM rounds WHERE status = 'open' ORDER BY id LIMIT 1"
        )
    )
    if rows:
        raise AnotherRoundOpen(
            round_id=rows[0]["id"],
            round_name=rows[0]["name"],
            closes_at=from_db_time(rows[0]["closes_at"]),
        )


async def cancel_round(
    conn: Connection, round_id: int, *, on_moved: OnMoved | None = None
) -> Round:
    """→ cancelled; `on_moved` runs in the same transaction (e.g. queues the notices)."""
    async with conn.write() as tx:
        round_ = await require_round(tx, round_id)
        cancelled = rules.cancel_round(round_)
        await _save(tx, cancelled, expected=round_.status)
        if on_moved is not None:
            await on_moved(tx, round_, cancelled)
        return cancelled


async def extend_round(
    conn: Connection, round_id: int, new_closes_at: datetime, *, on_moved: OnMoved | None = None
) -> Round:
    """A later deadline; `on_moved` runs in the same transaction (e.g. queues the notices)."""
    async with conn.write() as tx:
        round_ = await require_round(tx, round_id)
        extended = rules.extend_round(round_, new_closes_at)
        await _save(tx, extended, expected=round_.status)
        if on_moved is not None:
            await on_moved(tx, round_, extended)
        return extended


async def _save(conn: Connection, round_: Round, *, expected: RoundStatus) -> None:
    if not await save_round(conn, round_, expected=expected):
        raise RuntimeError(f"round {round_.id} changed under a write transaction")


async def close_round(
    conn: Connection,
    round_id: int,
    now: datetime,
    *,
    force: bool = False,
    on_closed: OnClosed | None = None,
    on_extended: OnExtended | None = None,
) -> RoundOutcome | None:
    """Close an open round whose deadline has passed (any time with `force`), in ONE transaction.

    Returns the outcome to the one caller that closed it. Returns None, changing nothing,
    when the round is already closed or cancelled, or (without `force`) not due yet. Without
    `force`, a round whose `MoqPolicy.EXTEND` applies gets its one extension instead
    (`on_extended` runs) and None is returned, unless that extension too has already passed
    (the process was down), in which case it closes. A draft raises InvalidTransition.
    """
    async with conn.write() as tx:
        round_ = await require_round(tx, round_id)
        if round_.status in (RoundStatus.CLOSED, RoundStatus.CANCELLED):
            return None
        if round_.status is RoundStatus.OPEN and now < round_.closes_at and not force:
            return None
        closed = rules.close_round(round_, now, force=force)
        if not force:
            new_deadline = rules.moq_extension(round_, await totals_for_round(tx, round_id))
            if new_deadline is not None and new_deadline > now:
                extended = rules.extend_round(round_, new_deadline, for_moq=True)
                await _save(tx, extended, expected=RoundStatus.OPEN)
                if on_extended is not None:
                    await on_extended(tx, extended)
                return None
        if not await save_round(tx, closed, expected=RoundStatus.OPEN):
            return None
        await tx.execute(
            "UPDATE rounds SET closed_at = ? WHERE id = ?", (to_db_time(now), round_id)
        )
        with _many_small_objects():
            parties = await current_parties(tx, round_id)
            outcome = await _compute(tx, closed, parties)
            await store_outcome(tx, outcome)
            await keep_parties(tx, round_id, parties)
            if on_closed is not None:
                await on_closed(tx, closed, outcome)
        return outcome


@contextmanager
def _many_small_objects() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a close builds a few objects per
    commitment. They hold no reference cycles, but each collection rescans all of them, so
    with it on the close grows faster than the round (13× for 10× the coops, 8× without)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


async def _compute(conn: Connection, round_: Round, parties: RoundParties) -> RoundOutcome:
    return compute_outcome(
        round_, await commitments_for_round(conn, round_.id), parties.coops, parties.suppliers
    )


async def load_outcome(conn: Connection, round_id: int) -> RoundOutcome:
    """The outcome of a round, recomputed from its snapshot and commitments (deterministic).

    A closed round uses the coops and suppliers kept at its close (`storage.round_parties`),
    so importing or renaming coops later changes neither its coops invited nor its names; a
    round closed before migration 0005 kept none and uses the current ones. For an open
    round this is the outcome if it closed now (an estimate, with the current ones).
    """
    async with conn.snapshot() as snap:
        round_ = await require_round(snap, round_id)
        return await _compute(snap, round_, await parties_for(snap, round_id))


async def get_round(conn: Connection, round_id: int) -> Round | None:
    rows = await conn.fetch_all("SELECT version FROM rounds WHERE id = ?", (round_id,))
    if not rows:
        return None
    found = remembered(conn, round_id, rows[0]["version"])
    if found is not None:
        return found
    async with conn.snapshot() as snap:
        return await load_remembered(snap, round_id)


async def round_with_totals(conn: Connection, round_id: int) -> tuple[Round | None, dict[str, int]]:
    """The round and its units ordered so far per product (as `totals_for_round`), in one
    snapshot: one statement when the round is remembered at its current version."""
    rows = await conn.fetch_all(
        "SELECT r.version, c.product_code, SUM(c.quantity) AS total FROM rounds r "
        "LEFT JOIN commitments c ON c.round_id = r.id WHERE r.id = ? "
        "GROUP BY c.product_code ORDER BY c.product_code",
        (round_id,),
    )
    found = remembered(conn, round_id, rows[0]["version"]) if rows else None
    if found is not None:
        return found, {
            row["product_code"]: int(row["total"])
            for row in rows
            if row["product_code"] is not None
        }
    async with conn.snapshot() as snap:
        return await load_remembered(snap, round_id), await totals_for_round(snap, round_id)


async def list_rounds(conn: Connection, status: RoundStatus | None = None) -> list[Round]:
    """Newest first."""
    async with conn.snapshot() as snap:
        if status is None:
            return await load_rounds(snap, order_by="id DESC")
        return await load_rounds(snap, "status = ?", (status.value,), order_by="id DESC")


async def closed_rounds(conn: Connection) -> list[Round]:
    """Closed rounds, the one closed most recently first (not the newest id: a draft made
    earlier can open and close after a round made later)."""
    async with conn.snapshot() as snap:
        return await load_rounds(snap, "status = 'closed'", order_by="closed_at DESC, id DESC")


async def current_round(conn: Connection, now: datetime) -> Round | None:
    """The open round. Only one opens at a time (`AnotherRoundOpen`); a database from before
    that rule may hold several: then the one closing first, preferring one still before its
    deadline over one waiting to be closed."""
    params = (to_db_time(now),)
    rows = await conn.fetch_all(_CURRENT, params)
    if not rows:
        return None
    found = remembered(conn, rows[0]["id"], rows[0]["version"])
    if found is not None:
        return found
    async with conn.snapshot() as snap:
        rows = list(await snap.fetch_all(_CURRENT, params))
        return await load_remembered(snap, rows[0]["id"], rows[0]["version"]) if rows else None


_CURRENT = (
    "SELECT id, version FROM rounds WHERE status = 'open' "
    "ORDER BY closes_at <= ?, closes_at, id LIMIT 1"
)


async def due_for_open(conn: Connection, now: datetime) -> list[Round]:
    """Draft rounds whose opening time has come."""
    async with conn.snapshot() as snap:
        return await load_rounds(
            snap, "status = 'draft' AND opens_at <= ?", (to_db_time(now),), "opens_at, id"
        )


async def due_for_close(conn: Connection, now: datetime) -> list[Round]:
    """Open rounds whose deadline has passed."""
    async with conn.snapshot() as snap:
        return await load_rounds(
            snap, "status = 'open' AND closes_at <= ?", (to_db_time(now),), "closes_at, id"
        )
