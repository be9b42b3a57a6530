"""What the reports across closed rounds read (`purchasing.reports`): one function per
report, each one snapshot of the database.

The savings and coops reports read what each close summed up in its own transaction
(migration 0020, `storage.round_summaries`): per round the coops that ordered and the coops
kept at the close (`storage.round_parties`; a round closed before migration 0005 kept none
and counts today's current coops), per product the units allocated and their values at the
price reached and at the round's reference market price; plus the allocation changes since
(`bill_changes`: a supplier's shortage, a coop's receipt), so the figures are as they stand.
They read a few rows per round and one per coop, never every commitment: SQL does the sums
and the counts. The suppliers report reads each close's units and coops per supplier
(migration 0020 too), the shortages since, and only the lines of the coops that confirmed
their receipt. The prices report reads the stored results (one row per product and round),
the payments report each bill's total its close kept (migration 0021) with the allocation
changes since, and the payments: counted per coop in SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from purchasing.model import Rep, RepRole
from purchasing.reports import ClosedRoundRef, CoopOrders, RoundSavings, Savings
from purchasing.round_reports import (
    BillDeadline,
    CoopPayments,
    PriceLine,
    SupplierSums,
)
from storage.database import Connection
from storage.encoding import from_db_time, optional_time

_CLOSED_ROUNDS = (
    "SELECT id, name, COALESCE(closed_at, closes_at) AS closed_at FROM rounds "
    "WHERE status = 'closed' ORDER BY closed_at, id"
)
_TOTALS = (
    "SELECT round_id, SUM(order_value) AS order_value, SUM(market_value) AS market_value "
    "FROM round_product_totals GROUP BY round_id"
)
# What a supplier's shortage or a coop's receipt took off (or put back) since each close, at
# the line's price reached and the round's market price (lines bought at a price only).
_CHANGES = (
    "SELECT b.round_id, SUM((b.new_allocated - b.old_allocated) * c.unit_price) AS order_value, "
    "SUM((b.new_allocated - b.old_allocated) * i.market_price) AS market_value "
    "FROM bill_changes b JOIN rounds r ON r.id = b.round_id AND r.status = 'closed' "
    "JOIN commitments c ON c.round_id = b.round_id AND c.coop_code = b.coop_code "
    "AND c.product_code = b.product_code "
    "JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code "
    "WHERE c.unit_price IS NOT NULL GROUP BY b.round_id"
)
_SUMMED_ROUNDS = (
    "SELECT r.id, r.name, COALESCE(r.closed_at, r.closes_at) AS closed_at, s.coops_ordered, "
    "s.coops_kept FROM rounds r JOIN round_summaries s ON s.round_id = r.id "
    "WHERE r.status = 'closed' ORDER BY closed_at, r.id"
)


async def closed_round_savings(conn: Connection) -> list[RoundSavings]:
    """Every closed round (oldest close first) with its order and market values of the units
    bought, as they stand now (the close's sums, then each shortage and receipt since), the
    coops that ordered and the coops invited."""
    async with conn.snapshot() as snap:
        rounds = await snap.fetch_all(_SUMMED_ROUNDS)
        totals = await snap.fetch_all(_TOTALS)
        changes = await snap.fetch_all(_CHANGES)
        current = await snap.fetch_all("SELECT COUNT(*) AS n FROM coops WHERE retired_at IS NULL")
    values: dict[int, Savings] = defaultdict(lambda: Savings(0, 0))
    for row in (*totals, *changes):
        values[row["round_id"]] += Savings(int(row["order_value"]), int(row["market_value"]))
    return [
        RoundSavings(
            round=_ref(row),
            savings=values[row["id"]],
            coops_ordered=int(row["coops_ordered"]),
            coops_invited=int(row["coops_kept"]) or int(current[0]["n"]),
        )
        for row in rounds
    ]


# Every current coop with its first and last closed round ordered (NULL: never) and in how
# many of the last ? closed rounds it ordered: one row per coop (what each close kept).
_COOP_COUNTS = """
SELECT c.code, c.name, c.contact, s.first_round, s.last_round, COALESCE(w.recent, 0) AS recent
  FROM coops c LEFT JOIN coop_order_spans s ON s.coop_code = c.code
  LEFT JOIN (SELECT coop_code, COUNT(*) AS recent FROM round_coops
              WHERE round_id IN (SELECT id FROM rounds WHERE status = 'closed'
                                  ORDER BY COALESCE(closed_at, closes_at) DESC, id DESC
                                  LIMIT ?)
              GROUP BY coop_code) w ON w.coop_code = c.code
 WHERE c.retired_at IS NULL ORDER BY c.code
"""


async def coop_orders(
    conn: Connection, last_rounds: int
) -> tuple[list[ClosedRoundRef], list[CoopOrders]]:
    """The closed rounds (oldest close first) and every current coop (by code) with its
    orders counted over them: in how many of the last `last_rounds` it ordered, its first and
    last round ordered; with its treasurers (reps) and its contact."""
    async with conn.snapshot() as snap:
        rounds = await snap.fetch_all(_CLOSED_ROUNDS)
        coops = await snap.fetch_all(_COOP_COUNTS, (max(last_rounds, 0),))
        reps = await snap.fetch_all(_TREASURERS)
    refs = [_ref(row) for row in rounds]
    by_id = {ref.id: ref for ref in refs}
    reps_of = _reps_by_coop(reps)
    # Unpacked by position: 10,000 coops, and a Row's lookup by name costs more.
    return refs, [
        CoopOrders(code, name, int(recent), by_id.get(first), by_id.get(last),
                   tuple(reps_of[code]), contact)
        for code, name, contact, first, last, recent in coops
    ]  # fmt: skip


_TREASURERS = (
    "SELECT platform, user_id, coop_code, display_name FROM reps "
    "WHERE role = 'treasurer' ORDER BY coop_code, platform, user_id"
)


def _reps_by_coop(rows: list[sqlite3.Row]) -> dict[str, list[Rep]]:
    reps_of: dict[str, list[Rep]] = defaultdict(list)
    for platform, user_id, coop_code, display_name in rows:
        reps_of[coop_code].append(
            Rep(platform, user_id, coop_code, RepRole.TREASURER, display_name)
        )
    return reps_of


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
    refs: dict[int, ClosedRoundRef] = {}  # one per round, not per product (300 a round)
    found = []
    for row in rows:
        ref = refs.get(row["id"])
        if ref is None:
            ref = refs[row["id"]] = _ref(row)
        found.append(
            PriceLine(
                round=ref,
                product_code=row["product_code"],
                product_name=row["product_name"],
                unit=row["unit"],
                unit_price=None if row["unit_price"] is None else int(row["unit_price"]),
                market_price=int(row["market_price"]),
                units=int(row["units"]),
            )
        )
    return found


# Each supplier of a closed round with goods bought at a price: the units allocated and its
# coops at the close (what the close summed up), the day it confirmed delivery.
_SUPPLIER_TOTALS = """
SELECT r.id, r.name, COALESCE(r.closed_at, r.closes_at) AS closed_at, t.supplier_code,
       COALESCE((SELECT name FROM round_parties k WHERE k.round_id = r.id
                   AND k.kind = 'supplier' AND k.code = t.supplier_code),
                (SELECT name FROM suppliers WHERE code = t.supplier_code),
                t.supplier_code) AS supplier_name,
       t.units, t.coops, sc.delivery_on
  FROM round_supplier_totals t JOIN rounds r ON r.id = t.round_id AND r.status = 'closed'
  LEFT JOIN supplier_confirmations sc
         ON sc.round_id = t.round_id AND sc.supplier_code = t.supplier_code
"""
# The units each supplier's shortage took off since the close (bill_changes' reason, as
# usecases.supply writes it), of goods bought at a price.
_SHORTAGES = """
SELECT b.round_id, i.supplier_code, SUM(b.old_allocated - b.new_allocated) AS units
  FROM bill_changes b
  JOIN commitments c ON c.round_id = b.round_id AND c.coop_code = b.coop_code
   AND c.product_code = b.product_code
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
 WHERE b.reason = 'shortage' AND c.unit_price IS NOT NULL
 GROUP BY b.round_id, i.supplier_code
"""
# Per closed round and supplier, the goods of the coops that confirmed their receipt: their
# units now, how many coops, the latest receipt. Reads only those coops' lines: CROSS JOIN
# keeps SQLite from starting at the commitments (it would, with few receipts).
_RECEIVED = """
SELECT cr.round_id, i.supplier_code, SUM(COALESCE(c.allocated, 0)) AS delivered,
       COUNT(DISTINCT cr.coop_code) AS coops, MAX(cr.confirmed_at) AS last_at
  FROM coop_receipts cr CROSS JOIN rounds r ON r.id = cr.round_id AND r.status = 'closed'
 CROSS JOIN commitments c ON c.round_id = cr.round_id AND c.coop_code = cr.coop_code
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
 WHERE c.quantity > 0 AND c.unit_price IS NOT NULL
 GROUP BY cr.round_id, i.supplier_code
"""


async def supplier_sums(conn: Connection) -> list[SupplierSums]:
    """Every supplier's goods per closed round (products bought only), summed up: units
    allocated at the close, its shortage since, its coops, its confirmed delivery day, and
    the goods of the coops that confirmed their receipt."""
    async with conn.snapshot() as snap:
        totals = await snap.fetch_all(_SUPPLIER_TOTALS)
        shortages = await snap.fetch_all(_SHORTAGES)
        received = await snap.fetch_all(_RECEIVED)
    short = {(row["round_id"], row["supplier_code"]): int(row["units"]) for row in shortages}
    got = {(row["round_id"], row["supplier_code"]): row for row in received}
    found = []
    for row in totals:
        key = (row["id"], row["supplier_code"])
        receipt = got.get(key)
        found.append(
            SupplierSums(
                round=_ref(row),
                supplier_code=row["supplier_code"],
                supplier_name=row["supplier_name"],
                ordered=int(row["units"]),
                shortage=short.get(key, 0),
                coops=int(row["coops"]),
                delivery_on=date.fromisoformat(row["delivery_on"]) if row["delivery_on"] else None,
                delivered=int(receipt["delivered"]) if receipt else 0,
                coops_received=int(receipt["coops"]) if receipt else 0,
                last_received_at=optional_time(receipt["last_at"]) if receipt else None,
            )
        )
    return found


_BILL_CLOSES = "SELECT id, closed_at FROM rounds WHERE status = 'closed' ORDER BY id"

# Each coop's bills of the closed rounds counted, as `purchasing.round_reports.payment_report`
# counts `storage.payments.bills_due` (the same bills: per round and coop, per supplier too
# when the round's suppliers are paid directly; each commitment's allocated units × the price
# reached) against the payments received: a bill is paid in full on the day its payments,
# oldest first, first covered its total; on time when that day is on or before its round's
# due day (`?`: a JSON list of [round id, due day or null, past due now 0/1], worked out by
# `bill_deadline` in the office's zone). Its name is the one of the latest closed round it
# has a bill in, as that round kept it. A bill's total is the one its close kept (migration
# 0021) plus the allocation changes since (bill_changes: a shortage, a receipt), so the
# report reads a row per bill and a row per payment, never the commitments themselves.
_COOP_PAYMENTS = """
WITH due AS (
    SELECT json_extract(value, '$[0]') AS round_id, json_extract(value, '$[1]') AS due_on,
           json_extract(value, '$[2]') AS overdue
      FROM json_each(?)
), closed AS (
    SELECT r.id, r.payee, d.due_on, d.overdue,
           ROW_NUMBER() OVER (ORDER BY COALESCE(r.closed_at, r.closes_at), r.id) AS n,
           EXISTS (SELECT 1 FROM bill_changes b WHERE b.round_id = r.id) AS changed
      FROM rounds r JOIN due d ON d.round_id = r.id
     WHERE r.status = 'closed'
), bills AS MATERIALIZED (  -- each bill's subqueries once
    SELECT t.coop_code, t.round_id, t.supplier_code, k.due_on, k.overdue, k.n,
           t.total + CASE WHEN k.changed THEN COALESCE((
               SELECT SUM((b.new_allocated - b.old_allocated) * c.unit_price)
                 FROM bill_changes b
                 JOIN commitments c ON c.round_id = b.round_id AND c.coop_code = b.coop_code
                  AND c.product_code = b.product_code
                 JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
                WHERE b.round_id = t.round_id AND b.coop_code = t.coop_code
                  AND c.unit_price IS NOT NULL
                  AND (t.supplier_code = '' OR i.supplier_code = t.supplier_code)
           ), 0) ELSE 0 END AS total,
           (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
             WHERE p.round_id = t.round_id AND p.coop_code = t.coop_code
               AND p.supplier_code = t.supplier_code) AS paid
      FROM closed k JOIN round_bill_totals t ON t.round_id = k.id
), counted AS (
    SELECT coop_code, COUNT(*) AS bills, SUM(paid >= total) AS settled,
           SUM(CASE WHEN paid >= total AND due_on IS NOT NULL AND (
               SELECT MIN(paid_on) FROM (
                   SELECT p.paid_on, SUM(p.amount) OVER (ORDER BY p.paid_on, p.id
                                                         ROWS UNBOUNDED PRECEDING) AS so_far
                     FROM payments p
                    WHERE p.round_id = b.round_id AND p.coop_code = b.coop_code
                      AND p.supplier_code = b.supplier_code)
                WHERE so_far >= b.total) > due_on THEN 1 ELSE 0 END) AS late,
           SUM(CASE WHEN paid < total THEN 1 ELSE 0 END) AS outstanding,
           SUM(CASE WHEN paid < total THEN total - paid ELSE 0 END) AS owed,
           SUM(CASE WHEN paid < total AND overdue THEN 1 ELSE 0 END) AS overdue,
           MAX(n) AS latest
      FROM bills b WHERE total > 0 GROUP BY coop_code
)
SELECT t.coop_code,
       COALESCE((SELECT name FROM round_parties k WHERE k.round_id = l.id AND k.kind = 'coop'
                   AND k.code = t.coop_code),
                (SELECT name FROM coops WHERE code = t.coop_code), t.coop_code) AS coop_name,
       t.bills, t.settled - t.late AS on_time, t.late, t.outstanding, t.owed, t.overdue
  FROM counted t JOIN closed l ON l.n = t.latest
"""


async def bill_closes(conn: Connection) -> list[tuple[int, datetime | None]]:
    """Every closed round's id and when it closed (its bills' date; None if it has none)."""
    rows = await conn.fetch_all(_BILL_CLOSES)
    return [(int(row["id"]), optional_time(row["closed_at"])) for row in rows]


async def coop_payments(conn: Connection, deadlines: Iterable[BillDeadline]) -> list[CoopPayments]:
    """Each coop with a bill of the closed rounds (in no order): its bills, paid in full on
    time or late, still outstanding (the amount owed, and how many past due): every closed
    round with its `deadlines` (one each; a round without is left out)."""
    due = json.dumps(
        [[one.round_id, one.due_on.isoformat() if one.due_on else None, int(one.overdue)]
         for one in deadlines]
    )  # fmt: skip
    rows = await conn.fetch_all(_COOP_PAYMENTS, (due,))
    return [
        CoopPayments(code, name, int(bills), int(on_time), int(late), int(outstanding),
                     int(owed), int(overdue))
        for code, name, bills, on_time, late, outstanding, owed, overdue in rows
    ]  # fmt: skip
