"""A supplier's purchase order after the close: its confirmation and the allocation changes a
shortage makes (migration 0010), each coop's receipt (0011) and its photos of goods that
came damaged or short (0016). SQL only: the rules are `purchasing.supply`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from purchasing.allocation import AllocationRequest
from purchasing.as_it_stands import UnitsNow
from purchasing.settlement import SettlementProgress
from purchasing.supply import AllocationChange, Delivery
from storage.database import Connection
from storage.encoding import from_db_time, to_db_time


async def supplier_allocations(
    conn: Connection, round_id: int, supplier_code: str
) -> dict[str, list[AllocationRequest]]:
    """Per product of the supplier, each coop's allocation at present (as requests, with
    when the coop ordered it: `Commitment.created_at`)."""
    rows = await conn.fetch_all(
        "SELECT c.product_code, c.coop_code, c.allocated, c.created_at FROM commitments c "
        "JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code "
        "WHERE c.round_id = ? AND i.supplier_code = ? AND c.allocated > 0 "
        "ORDER BY c.product_code, c.coop_code",
        (round_id, supplier_code),
    )
    found: dict[str, list[AllocationRequest]] = {}
    for row in rows:
        request = AllocationRequest(
            row["coop_code"], int(row["allocated"]), from_db_time(row["created_at"])
        )
        found.setdefault(row["product_code"], []).append(request)
    return found


async def confirmed_on(conn: Connection, round_id: int, supplier_code: str) -> date | None:
    rows = await conn.fetch_all(
        "SELECT delivery_on FROM supplier_confirmations WHERE round_id = ? AND supplier_code = ?",
        (round_id, supplier_code),
    )
    return date.fromisoformat(rows[0]["delivery_on"]) if rows else None


async def record_confirmation(
    conn: Connection,
    round_id: int,
    supplier_code: str,
    delivery_on: date,
    short_lines: int,
    actor: str,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO supplier_confirmations (round_id, supplier_code, delivery_on, short_lines, "
        "confirmed_by, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (round_id, supplier_code, delivery_on.isoformat(), short_lines, actor, to_db_time(now)),
    )


async def change_allocations(
    conn: Connection,
    round_id: int,
    changes: Sequence[AllocationChange],
    reason: str,
    actor: str,
    now: datetime,
) -> None:
    """Write the coops' new allocations and keep each change with its reason."""
    at = to_db_time(now)
    await conn.execute_many(
        "UPDATE commitments SET allocated = ? WHERE round_id = ? AND coop_code = ? "
        "AND product_code = ?",
        [(c.new, round_id, c.coop_code, c.product_code) for c in changes],
    )
    await conn.execute_many(
        "INSERT INTO bill_changes (round_id, coop_code, product_code, old_allocated, "
        "new_allocated, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(round_id, c.coop_code, c.product_code, c.old, c.new, reason, actor, at) for c in changes],
    )


async def coop_allocations(conn: Connection, round_id: int, coop_code: str) -> dict[str, int]:
    """What was shipped to the coop: its allocated units per product (none: not billed)."""
    rows = await conn.fetch_all(
        "SELECT product_code, allocated FROM commitments WHERE round_id = ? AND coop_code = ? "
        "AND allocated > 0 ORDER BY product_code",
        (round_id, coop_code),
    )
    return {row["product_code"]: int(row["allocated"]) for row in rows}


async def coop_deliveries(conn: Connection, round_id: int, coop_code: str) -> list[Delivery]:
    """Each supplier of the goods shipped to the coop, with its delivery day once confirmed."""
    found = await _deliveries(conn, round_id, "AND c.coop_code = ?", (coop_code,))
    return found.get(coop_code, [])


async def round_deliveries(conn: Connection, round_id: int) -> dict[str, list[Delivery]]:
    """`coop_deliveries` of every coop with goods in the round, in one statement."""
    return await _deliveries(conn, round_id, "", ())


async def _deliveries(
    conn: Connection, round_id: int, coop_filter: str, params: tuple[str, ...]
) -> dict[str, list[Delivery]]:
    rows = await conn.fetch_all(
        "SELECT DISTINCT c.coop_code, i.supplier_code, "
        "COALESCE(s.name, i.supplier_code) AS name, sc.delivery_on FROM commitments c "
        "JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code "
        "LEFT JOIN suppliers s ON s.code = i.supplier_code "
        "LEFT JOIN supplier_confirmations sc "
        "ON sc.round_id = c.round_id AND sc.supplier_code = i.supplier_code "
        f"WHERE c.round_id = ? {coop_filter} AND c.allocated > 0 "
        "ORDER BY c.coop_code, i.supplier_code",
        (round_id, *params),
    )
    found: dict[str, list[Delivery]] = {}
    for row in rows:
        day = date.fromisoformat(row["delivery_on"]) if row["delivery_on"] else None
        found.setdefault(row["coop_code"], []).append(
            Delivery(row["supplier_code"], row["name"], day)
        )
    return found


async def receipt_confirmed(conn: Connection, round_id: int, coop_code: str) -> bool:
    rows = await conn.fetch_all(
        "SELECT 1 FROM coop_receipts WHERE round_id = ? AND coop_code = ?", (round_id, coop_code)
    )
    return bool(rows)


async def record_receipt(
    conn: Connection, round_id: int, coop_code: str, short_lines: int, actor: str, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO coop_receipts (round_id, coop_code, short_lines, confirmed_by, confirmed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (round_id, coop_code, short_lines, actor, to_db_time(now)),
    )


async def changed_allocations(conn: Connection, round_id: int) -> dict[tuple[str, str], UnitsNow]:
    """Per (coop, product) whose allocation changed after the close: the units it gets now,
    and the reason of its last change."""
    rows = await conn.fetch_all(_CHANGED, (round_id, round_id))
    return {
        (row["coop_code"], row["product_code"]): UnitsNow(int(row["allocated"]), row["reason"])
        for row in rows
    }


# The reason of the last change after the close to commitment `c`'s allocation (NULL: none).
LAST_CHANGE_REASON = (
    "(SELECT b.reason FROM bill_changes b WHERE b.round_id = c.round_id"
    " AND b.coop_code = c.coop_code AND b.product_code = c.product_code"
    " ORDER BY b.id DESC LIMIT 1)"
)
_CHANGED = f"""
SELECT c.coop_code, c.product_code, c.allocated, {LAST_CHANGE_REASON} AS reason
  FROM commitments c
 WHERE c.round_id = ?
   AND (c.coop_code, c.product_code) IN
       (SELECT coop_code, product_code FROM bill_changes WHERE round_id = ?)
"""


async def changes_made(conn: Connection, round_id: int) -> int:
    """How many changes were made to the round's bills since its close (0: as closed)."""
    rows = await conn.fetch_all(
        "SELECT COUNT(*) AS n FROM bill_changes WHERE round_id = ?", (round_id,)
    )
    return int(rows[0]["n"])


async def receipt_shortfalls(conn: Connection, round_id: int, coop_code: str) -> list[str]:
    """The products the coop's receipt said came short (each product once, by code)."""
    rows = await conn.fetch_all(
        "SELECT DISTINCT product_code FROM bill_changes WHERE round_id = ? AND coop_code = ? "
        "AND reason = 'receipt' ORDER BY product_code",
        (round_id, coop_code),
    )
    return [row["product_code"] for row in rows]


async def add_receipt_photo(
    conn: Connection,
    round_id: int,
    coop_code: str,
    file: str,
    sha256: str,
    sent_by: str,
    now: datetime,
) -> bool:
    """Keep a photo of the coop's goods as received; False when it was sent before."""
    written = await conn.execute(
        "INSERT OR IGNORE INTO receipt_photos (round_id, coop_code, file, sha256, sent_by, "
        "sent_at) VALUES (?, ?, ?, ?, ?, ?)",
        (round_id, coop_code, file, sha256, sent_by, to_db_time(now)),
    )
    return written.rowcount > 0


async def settlement_progress(conn: Connection, round_id: int) -> SettlementProgress:
    """How far a closed round has come since its close, in one statement (bills are paid
    when what was received against them covers their total)."""
    rows = await conn.fetch_all(_PROGRESS, {"round": round_id})
    row = rows[0]
    return SettlementProgress(*(int(row[column] or 0) for column in _PROGRESS_COLUMNS))


_PROGRESS_COLUMNS = (
    "suppliers", "suppliers_confirmed", "coops", "coops_received", "bills", "bills_paid"
)  # fmt: skip
_PROGRESS = """
WITH billed AS (
    SELECT c.coop_code,
           CASE WHEN r.payee = 'supplier' THEN i.supplier_code ELSE '' END AS supplier_code,
           SUM(c.allocated * COALESCE(c.unit_price, 0)) AS total
      FROM rounds r JOIN commitments c ON c.round_id = r.id
      JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
     WHERE r.id = :round GROUP BY c.coop_code, 2 HAVING total > 0
), owed AS (
    SELECT b.total, (SELECT COALESCE(SUM(amount), 0) FROM payments p
                      WHERE p.round_id = :round AND p.coop_code = b.coop_code
                        AND p.supplier_code = b.supplier_code) AS paid
      FROM billed b
)
SELECT
  (SELECT COUNT(DISTINCT i.supplier_code) FROM commitments c JOIN round_items i
     ON i.round_id = c.round_id AND i.product_code = c.product_code
    WHERE c.round_id = :round AND c.allocated > 0) AS suppliers,
  (SELECT COUNT(*) FROM supplier_confirmations WHERE round_id = :round) AS suppliers_confirmed,
  (SELECT COUNT(DISTINCT coop_code) FROM commitments
    WHERE round_id = :round AND allocated > 0) AS coops,
  (SELECT COUNT(*) FROM coop_receipts WHERE round_id = :round) AS coops_received,
  (SELECT COUNT(*) FROM owed) AS bills,
  (SELECT COUNT(*) FROM owed WHERE paid >= total) AS bills_paid
"""
