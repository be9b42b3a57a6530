"""What the reports across closed rounds read (`purchasing.reports`): one function per
report, each one snapshot of the database.

The figures are what each close wrote down: every commitment's allocation and price
reached (`storage.round_results.store_outcome`) and the round's reference market price
(`round_items`). Coops invited are those kept at the close (`storage.round_parties`); a
round closed before migration 0005 kept none and counts today's current coops.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from purchasing.model import Rep, RepRole
from purchasing.reports import ClosedRoundLines, ClosedRoundRef, CoopHistory, ReportLine
from storage.database import Connection
from storage.encoding import from_db_time

_CLOSED_ROUNDS = (
    "SELECT r.id, r.name, COALESCE(r.closed_at, r.closes_at) AS closed_at, "
    "(SELECT COUNT(*) FROM round_parties p WHERE p.round_id = r.id AND p.kind = 'coop') "
    "AS kept FROM rounds r WHERE r.status = 'closed' ORDER BY closed_at, r.id"
)
_CLOSED_LINES = (
    "SELECT c.round_id, c.coop_code, c.allocated, c.unit_price, i.market_price "
    "FROM commitments c JOIN rounds r ON r.id = c.round_id AND r.status = 'closed' "
    "JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code "
    "WHERE c.quantity > 0 ORDER BY c.round_id, c.coop_code, c.product_code"
)


async def closed_round_lines(conn: Connection) -> list[ClosedRoundLines]:
    """Every closed round (oldest close first) with its coops invited and its lines."""
    async with conn.snapshot() as snap:
        rounds = await snap.fetch_all(_CLOSED_ROUNDS)
        lines = await snap.fetch_all(_CLOSED_LINES)
        current = await snap.fetch_all("SELECT COUNT(*) AS n FROM coops WHERE retired_at IS NULL")
    by_round: dict[int, list[ReportLine]] = defaultdict(list)
    for row in lines:
        by_round[row["round_id"]].append(
            ReportLine(
                coop_code=row["coop_code"],
                allocated=int(row["allocated"] or 0),
                unit_price=row["unit_price"],
                market_price=int(row["market_price"]),
            )
        )
    return [
        ClosedRoundLines(
            round=_ref(row),
            coops_invited=int(row["kept"]) or int(current[0]["n"]),
            lines=tuple(by_round[row["id"]]),
        )
        for row in rounds
    ]


async def coop_histories(conn: Connection) -> tuple[list[ClosedRoundRef], list[CoopHistory]]:
    """The closed rounds (oldest close first) and every current coop (by code) with the
    closed rounds it ordered in, its treasurers (reps) and its contact."""
    async with conn.snapshot() as snap:
        rounds = await snap.fetch_all(_CLOSED_ROUNDS)
        coops = await snap.fetch_all(
            "SELECT code, name, contact FROM coops WHERE retired_at IS NULL ORDER BY code"
        )
        ordered = await snap.fetch_all(
            "SELECT DISTINCT c.coop_code, c.round_id FROM commitments c "
            "JOIN rounds r ON r.id = c.round_id AND r.status = 'closed' WHERE c.quantity > 0"
        )
        reps = await snap.fetch_all(
            "SELECT platform, user_id, coop_code, display_name FROM reps "
            "WHERE role = 'treasurer' ORDER BY coop_code, platform, user_id"
        )
    rounds_of: dict[str, set[int]] = defaultdict(set)
    for row in ordered:
        rounds_of[row["coop_code"]].add(int(row["round_id"]))
    reps_of: dict[str, list[Rep]] = defaultdict(list)
    for row in reps:
        reps_of[row["coop_code"]].append(
            Rep(row["platform"], row["user_id"], row["coop_code"], RepRole.TREASURER,
                row["display_name"])
        )  # fmt: skip
    histories = [
        CoopHistory(
            code=row["code"],
            name=row["name"],
            ordered_in=frozenset(rounds_of[row["code"]]),
            reps=tuple(reps_of[row["code"]]),
            contact=row["contact"],
        )
        for row in coops
    ]
    return [_ref(row) for row in rounds], histories


def _ref(row: sqlite3.Row) -> ClosedRoundRef:
    return ClosedRoundRef(int(row["id"]), row["name"], from_db_time(row["closed_at"]))
