"""Rounds (putaran) in the database: reading them, and the rows their moves write.

The moves themselves (create, open, extend, cancel, close) are use cases
(`usecases.rounds`): each holds one `BEGIN IMMEDIATE` transaction, asks `purchasing.rounds`
for the decision and writes the result through `round_rows.save_round`, a conditional
`UPDATE ... WHERE status = ?`, so two tasks or processes can never both make a move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from purchasing.model import Round, RoundItem, RoundPlan, RoundStatus
from purchasing.rounds import LEFT_CLOSING_AFTER
from purchasing.settlement import Payee
from storage.commitment_reads import totals_for_round
from storage.database import Connection
from storage.encoding import from_db_time, optional_time, to_db_time
from storage.round_cache import load_remembered, remembered
from storage.round_rows import load_rounds, replace_items


async def insert_round(
    conn: Connection, plan: RoundPlan, items: Sequence[RoundItem], now: datetime
) -> int:
    """A new draft round with its item snapshot; its id."""
    written = await conn.execute(
        "INSERT INTO rounds (name, opens_at, closes_at, delivery_note, moq_policy, "
        "extend_hours, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            plan.name, to_db_time(plan.opens_at), to_db_time(plan.closes_at),
            plan.delivery_note, plan.moq_policy.value, plan.extend_hours, to_db_time(now),
        ),
    )  # fmt: skip
    round_id = int(written.lastrowid or 0)
    await replace_items(conn, round_id, items)
    return round_id


async def mark_closed(
    conn: Connection, round_id: int, now: datetime, payee: Payee = Payee.OFFICE
) -> None:
    """When the round closed, and who its coops pay (fixed from then on)."""
    await conn.execute(
        "UPDATE rounds SET closed_at = ?, payee = ? WHERE id = ?",
        (to_db_time(now), payee.value, round_id),
    )


async def payee_of(conn: Connection, round_id: int) -> Payee:
    """Who the coops of the round pay (the office until it closes)."""
    rows = await conn.fetch_all("SELECT payee FROM rounds WHERE id = ?", (round_id,))
    return Payee(rows[0]["payee"]) if rows else Payee.OFFICE


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
        "SELECT r.version, u.product_code, u.units AS total FROM rounds r "
        "LEFT JOIN units_ordered u ON u.round_id = r.id AND u.units > 0 WHERE r.id = ? "
        "ORDER BY u.product_code",
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


@dataclass(frozen=True, slots=True)
class RoundHeading:
    """What a list of rounds shows of one: no items (decoding a round's products is most of
    what reading a whole `Round` costs)."""

    id: int
    name: str
    status: RoundStatus
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None = None  # as `Round.closed_at`
    closing_since: datetime | None = None  # as `Round.closing_since`


async def round_headings(conn: Connection) -> list[RoundHeading]:
    """Every round's heading, newest id first (as `list_rounds`), in one statement."""
    rows = await conn.fetch_all(
        "SELECT id, name, status, opens_at, closes_at, closed_at, closing_since FROM rounds "
        "ORDER BY id DESC"
    )
    return [
        RoundHeading(
            id=row["id"],
            name=row["name"],
            status=RoundStatus(row["status"]),
            opens_at=from_db_time(row["opens_at"]),
            closes_at=from_db_time(row["closes_at"]),
            closed_at=optional_time(row["closed_at"]),
            closing_since=optional_time(row["closing_since"]),
        )
        for row in rows
    ]


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
    rows = await conn.fetch_all(_CURRENT, params, brief=True)
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
    """Open rounds whose deadline has passed, or that staff began closing early over
    `LEFT_CLOSING_AFTER` ago (left so by a crash or a failed close)."""
    left_since = now - LEFT_CLOSING_AFTER
    async with conn.snapshot() as snap:
        return await load_rounds(
            snap,
            "status = 'open' AND (closes_at <= ? OR closing_since <= ?)",
            (to_db_time(now), to_db_time(left_since)),
            "closes_at, id",
        )
