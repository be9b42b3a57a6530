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
from datetime import date

from purchasing.model import Rep, RepRole
from purchasing.reports import ClosedRoundLines, ClosedRoundRef, CoopHistory, ReportLine
from purchasing.round_reports import Paid, PriceLine, SupplyLine
from storage.database import Connection
from storage.encoding import from_db_time, optional_time

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


_PRICE_LINES = (
    "SELECT r.id, r.name, COALESCE(r.closed_at, r.closes_at) AS closed_at, i.product_code, "
    "i.name AS product_name, i.unit, i.market_price, res.unit_price, "
    "COALESCE(res.total_allocated, 0) AS units "
    "FROM rounds r JOIN round_items i ON i.round_id = r.id "
    "LEFT JOIN round_results res ON res.round_id = r.id AND res.product_code = i.product_code "
    "WHERE r.status = 'closed' ORDER BY closed_at, r.id, i.product_code"
)


async def closed_price_lines(conn: Connection) -> list[PriceLine]:
    """Every product of every closed round with the price its close reached (None below
    its MOQ, or when nobody ordered it) and its market price."""
    rows = await conn.fetch_all(_PRICE_LINES)
    return [
        PriceLine(
            round=_ref(row),
            product_code=row["product_code"],
            product_name=row["product_name"],
            unit=row["unit"],
            unit_price=None if row["unit_price"] is None else int(row["unit_price"]),
            market_price=int(row["market_price"]),
            units=int(row["units"]),
        )
        for row in rows
    ]


# Each coop's goods per supplier of a closed round, with the units its supplier's shortage
# and its own receipt took off since the close (bill_changes' reasons, as usecases.supply
# and usecases.receipts write them).
_SUPPLY_LINES = """
SELECT r.id, r.name, COALESCE(r.closed_at, r.closes_at) AS closed_at, i.supplier_code,
       COALESCE((SELECT name FROM round_parties k WHERE k.round_id = r.id
                   AND k.kind = 'supplier' AND k.code = i.supplier_code),
                (SELECT name FROM suppliers WHERE code = i.supplier_code),
                i.supplier_code) AS supplier_name,
       c.coop_code, SUM(COALESCE(c.allocated, 0)) AS allocated,
       COALESCE(SUM((SELECT SUM(b.old_allocated - b.new_allocated) FROM bill_changes b
                      WHERE b.round_id = c.round_id AND b.coop_code = c.coop_code
                        AND b.product_code = c.product_code AND b.reason = 'shortage')), 0)
         AS shortage,
       COALESCE(SUM((SELECT SUM(b.old_allocated - b.new_allocated) FROM bill_changes b
                      WHERE b.round_id = c.round_id AND b.coop_code = c.coop_code
                        AND b.product_code = c.product_code AND b.reason = 'receipt')), 0)
         AS not_received,
       sc.delivery_on, cr.confirmed_at AS received_at
  FROM rounds r JOIN commitments c ON c.round_id = r.id
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
  LEFT JOIN supplier_confirmations sc
         ON sc.round_id = r.id AND sc.supplier_code = i.supplier_code
  LEFT JOIN coop_receipts cr ON cr.round_id = r.id AND cr.coop_code = c.coop_code
 WHERE r.status = 'closed' AND c.quantity > 0 AND c.unit_price IS NOT NULL
 GROUP BY r.id, i.supplier_code, c.coop_code
 ORDER BY closed_at, r.id, i.supplier_code, c.coop_code
"""


async def supply_lines(conn: Connection) -> list[SupplyLine]:
    """Every coop's goods per supplier of the closed rounds (products bought only), with
    the supplier's confirmed delivery day and the coop's receipt."""
    rows = await conn.fetch_all(_SUPPLY_LINES)
    return [
        SupplyLine(
            round=_ref(row),
            supplier_code=row["supplier_code"],
            supplier_name=row["supplier_name"],
            coop_code=row["coop_code"],
            allocated=int(row["allocated"]),
            shortage=int(row["shortage"]),
            not_received=int(row["not_received"]),
            delivery_on=date.fromisoformat(row["delivery_on"]) if row["delivery_on"] else None,
            received_at=optional_time(row["received_at"]),
        )
        for row in rows
    ]


async def payments_received(conn: Connection) -> list[Paid]:
    """Every payment recorded against a bill of a closed round, oldest first."""
    rows = await conn.fetch_all(
        "SELECT p.round_id, p.coop_code, p.supplier_code, p.amount, p.paid_on FROM payments p "
        "JOIN rounds r ON r.id = p.round_id AND r.status = 'closed' ORDER BY p.paid_on, p.id"
    )
    return [
        Paid(int(row["round_id"]), row["coop_code"], row["supplier_code"], int(row["amount"]),
             date.fromisoformat(row["paid_on"]))
        for row in rows
    ]  # fmt: skip
