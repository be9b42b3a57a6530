-- What the payments report reads (`storage.reports.coop_payments`), so it sums a few rows per
-- coop and round instead of every commitment of the year: each bill of a closed round with
-- its total as the close wrote it (each commitment's allocated units × the price reached; per
-- supplier too when the round's suppliers are paid directly, rounds.payee = 'supplier', as
-- `storage.payments.bills_due` makes the bills; supplier_code '' when the office collects).
-- The close writes them in its own transaction (`storage.round_summaries.store_summary`).
-- A supplier's shortage or a coop's receipt later changes allocations: those changes are kept
-- in bill_changes, and the report adds them, so a bill's total is as it stands. Every round
-- closed before this migration is filled in below: its allocations as they stand, less the
-- changes kept in bill_changes since.

CREATE TABLE round_bill_totals (
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    coop_code      TEXT NOT NULL,
    supplier_code  TEXT NOT NULL,
    total          INTEGER NOT NULL,
    PRIMARY KEY (round_id, coop_code, supplier_code)
) WITHOUT ROWID;

INSERT INTO round_bill_totals (round_id, coop_code, supplier_code, total)
SELECT c.round_id, c.coop_code, CASE WHEN r.payee = 'supplier' THEN i.supplier_code ELSE '' END,
       SUM((COALESCE(c.allocated, 0) - COALESCE(b.moved, 0)) * c.unit_price)
  FROM commitments c JOIN rounds r ON r.id = c.round_id AND r.status = 'closed'
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
  LEFT JOIN (SELECT round_id, coop_code, product_code,
                    SUM(new_allocated - old_allocated) AS moved
               FROM bill_changes GROUP BY round_id, coop_code, product_code) b
         ON b.round_id = c.round_id AND b.coop_code = c.coop_code
        AND b.product_code = c.product_code
 WHERE c.quantity > 0 AND c.unit_price IS NOT NULL
 GROUP BY c.round_id, c.coop_code, 3;
