"""Bills of closed rounds and the payments received against them (migration 0009).

A bill's total is what its close wrote down (each commitment's allocated units × the price
reached), so it needs no outcome computed again; what was paid is summed in the same
statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from purchasing.settlement import BillDue
from storage.database import Connection, Row
from storage.encoding import optional_time, to_db_time

# A commitment's bill: its coop's, and its supplier's too when the round's suppliers are paid
# directly (rounds.payee, fixed at the close).
_BILLS = """
WITH billed AS (
    SELECT c.round_id, c.coop_code,
           CASE WHEN r.payee = 'supplier' THEN i.supplier_code ELSE '' END AS supplier_code,
           SUM(c.allocated * COALESCE(c.unit_price, 0)) AS total
      FROM rounds r JOIN commitments c ON c.round_id = r.id
      JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
     WHERE r.status = 'closed' AND c.quantity > 0 AND r.id = COALESCE(?, r.id)
     GROUP BY c.round_id, c.coop_code, 3
    HAVING total > 0
)
SELECT b.round_id, r.name AS round_name, b.coop_code, r.closed_at, b.supplier_code, b.total,
       COALESCE((SELECT name FROM round_parties k WHERE k.round_id = r.id AND k.kind = 'coop'
                 AND k.code = b.coop_code),
                (SELECT name FROM coops WHERE code = b.coop_code), b.coop_code) AS coop_name,
       CASE WHEN b.supplier_code = '' THEN ''
            ELSE COALESCE((SELECT name FROM round_parties k WHERE k.round_id = r.id
                             AND k.kind = 'supplier' AND k.code = b.supplier_code),
                          (SELECT name FROM suppliers WHERE code = b.supplier_code),
                          b.supplier_code) END AS supplier_name,
       (SELECT COALESCE(SUM(amount), 0) FROM payments p
         WHERE p.round_id = b.round_id AND p.coop_code = b.coop_code
           AND p.supplier_code = b.supplier_code) AS paid
  FROM billed b JOIN rounds r ON r.id = b.round_id
 ORDER BY r.closed_at, r.id, b.coop_code, b.supplier_code
"""


async def bills_due(conn: Connection, round_id: int | None = None) -> list[BillDue]:
    """Every bill of the closed rounds (or of one), with what has been paid against it."""
    rows = await conn.fetch_all(_BILLS, (round_id,))
    return [_bill(row) for row in rows]


def _bill(row: Row) -> BillDue:
    return BillDue(
        row["round_id"], row["round_name"], row["coop_code"], row["coop_name"],
        int(row["total"]), int(row["paid"]), optional_time(row["closed_at"]),
        row["supplier_code"], row["supplier_name"],
    )  # fmt: skip


async def record_payment(
    conn: Connection,
    bill: BillDue,
    amount: int,
    paid_on: date,
    description: str,
    source: str,
    source_key: str,
    recorded_by: str,
    now: datetime,
) -> bool:
    """Record money received against `bill`; False when this `source_key` was recorded
    before (nothing changes)."""
    written = await conn.execute(
        "INSERT OR IGNORE INTO payments (round_id, coop_code, supplier_code, amount, paid_on, "
        "description, source, source_key, recorded_by, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bill.round_id, bill.coop_code, bill.supplier_code, amount, paid_on.isoformat(),
            description, source, source_key, recorded_by, to_db_time(now),
        ),
    )  # fmt: skip
    return written.rowcount > 0


async def recorded_keys(conn: Connection, keys: list[str]) -> set[str]:
    """Which of these source keys are recorded already."""
    if not keys:
        return set()
    marks = ", ".join("?" * len(keys))
    rows = await conn.fetch_all(
        f"SELECT source_key FROM payments WHERE source_key IN ({marks})", keys
    )
    return {row["source_key"] for row in rows}


@dataclass(frozen=True, slots=True)
class Proof:
    id: int
    round_id: int
    coop_code: str
    file: str
    status: str  # pending, verified, rejected
    supplier_code: str = ""  # of the bill it was sent for (a supplier paid directly)


async def add_proof(
    conn: Connection,
    bill: BillDue,
    file: str,
    sha256: str,
    submitted_by: str,
    now: datetime,
) -> Proof | None:
    """Keep a proof for `bill`; None when this coop sent the same file before."""
    written = await conn.execute(
        "INSERT OR IGNORE INTO payment_proofs (round_id, coop_code, supplier_code, file, sha256, "
        "submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            bill.round_id, bill.coop_code, bill.supplier_code, file, sha256, submitted_by,
            to_db_time(now),
        ),
    )  # fmt: skip
    if not written.rowcount:
        return None
    proof_id = int(written.lastrowid or 0)
    return Proof(proof_id, bill.round_id, bill.coop_code, file, "pending", bill.supplier_code)


async def get_proof(conn: Connection, proof_id: int) -> Proof | None:
    rows = await conn.fetch_all(
        "SELECT id, round_id, coop_code, file, status, supplier_code FROM payment_proofs "
        "WHERE id = ?",
        (proof_id,),
    )
    return Proof(*rows[0]) if rows else None


async def handle_proof(
    conn: Connection,
    proof_id: int,
    status: str,
    handled_by: str,
    now: datetime,
    reason: str | None = None,
    supplier_code: str | None = None,
) -> bool:
    """Mark a pending proof verified or rejected (with the admin's `reason`; verified for
    the bill of `supplier_code` when it names another); False when it was handled already."""
    written = await conn.execute(
        "UPDATE payment_proofs SET status = ?, handled_by = ?, handled_at = ?, reason = ?, "
        "supplier_code = COALESCE(?, supplier_code) WHERE id = ? AND status = 'pending'",
        (status, handled_by, to_db_time(now), reason, supplier_code, proof_id),
    )
    return written.rowcount == 1
