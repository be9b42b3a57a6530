-- What the reports across closed rounds read (`storage.reports`), so a yearly report reads a
-- few rows per round instead of every commitment of every round. The close writes them in
-- its own transaction (`storage.round_summaries.store_summary`, from the outcome whose
-- allocations and prices `storage.round_results.store_outcome` has just written); a closed
-- round never changes status again. Every round closed before this migration is filled in
-- below from the same tables (its allocations as the close left them: as they stand, less
-- the changes kept in bill_changes since).
--
-- round_summaries: per closed round, how many coops ordered in it (had a commitment at the
--   close, unfilled lines included) and how many coops its close kept (round_parties; 0 for
--   a round closed before migration 0005, which the report counts as today's coops).
-- round_product_totals: per product of a closed round bought at a price reached (unit_price
--   not NULL), the units allocated at the close, their value at that price (order_value)
--   and at the round's reference market price (market_value), integer Rupiah. A supplier's
--   shortage or a coop's receipt later changes allocations: those changes are kept in
--   bill_changes, and the savings report adds them (so it shows the figures as they stand).
-- round_supplier_totals: per supplier of a closed round with goods bought at a price
--   reached, the units allocated at the close and how many coops have such a line of it
--   (the suppliers report adds the shortages and receipts of bill_changes and coop_receipts).
-- round_coops: which coops ordered in each closed round (the coops report counts those of
--   the last N closed rounds per coop with SQL).
-- coop_order_spans: per coop that ever ordered in a closed round, its first and last closed
--   round ordered, by close (COALESCE(closed_at, closes_at), then id, as the reports order
--   closed rounds), so the coops report reads one row per coop, not one per coop and round.

CREATE TABLE round_summaries (
    round_id       INTEGER PRIMARY KEY REFERENCES rounds (id),
    coops_ordered  INTEGER NOT NULL,
    coops_kept     INTEGER NOT NULL
);

CREATE TABLE round_product_totals (
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    product_code  TEXT NOT NULL,
    units         INTEGER NOT NULL,
    order_value   INTEGER NOT NULL,
    market_value  INTEGER NOT NULL,
    PRIMARY KEY (round_id, product_code)
) WITHOUT ROWID;

CREATE TABLE round_supplier_totals (
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    supplier_code  TEXT NOT NULL,
    units          INTEGER NOT NULL,
    coops          INTEGER NOT NULL,
    PRIMARY KEY (round_id, supplier_code)
) WITHOUT ROWID;

CREATE TABLE round_coops (
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    coop_code  TEXT NOT NULL,
    PRIMARY KEY (round_id, coop_code)
) WITHOUT ROWID;

CREATE TABLE coop_order_spans (
    coop_code    TEXT PRIMARY KEY,
    first_round  INTEGER NOT NULL REFERENCES rounds (id),
    last_round   INTEGER NOT NULL REFERENCES rounds (id)
) WITHOUT ROWID;

-- The allocations at the close: as they stand, less what bill_changes moved since.
INSERT INTO round_product_totals (round_id, product_code, units, order_value, market_value)
SELECT c.round_id, c.product_code, SUM(COALESCE(c.allocated, 0) - COALESCE(b.moved, 0)),
       SUM((COALESCE(c.allocated, 0) - COALESCE(b.moved, 0)) * c.unit_price),
       SUM((COALESCE(c.allocated, 0) - COALESCE(b.moved, 0)) * i.market_price)
  FROM commitments c JOIN rounds r ON r.id = c.round_id AND r.status = 'closed'
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
  LEFT JOIN (SELECT round_id, coop_code, product_code,
                    SUM(new_allocated - old_allocated) AS moved
               FROM bill_changes GROUP BY round_id, coop_code, product_code) b
         ON b.round_id = c.round_id AND b.coop_code = c.coop_code
        AND b.product_code = c.product_code
 WHERE c.quantity > 0 AND c.unit_price IS NOT NULL
 GROUP BY c.round_id, c.product_code;

INSERT INTO round_supplier_totals (round_id, supplier_code, units, coops)
SELECT c.round_id, i.supplier_code, SUM(COALESCE(c.allocated, 0) - COALESCE(b.moved, 0)),
       COUNT(DISTINCT c.coop_code)
  FROM commitments c JOIN rounds r ON r.id = c.round_id AND r.status = 'closed'
  JOIN round_items i ON i.round_id = c.round_id AND i.product_code = c.product_code
  LEFT JOIN (SELECT round_id, coop_code, product_code,
                    SUM(new_allocated - old_allocated) AS moved
               FROM bill_changes GROUP BY round_id, coop_code, product_code) b
         ON b.round_id = c.round_id AND b.coop_code = c.coop_code
        AND b.product_code = c.product_code
 WHERE c.quantity > 0 AND c.unit_price IS NOT NULL
 GROUP BY c.round_id, i.supplier_code;

INSERT INTO round_coops (round_id, coop_code)
SELECT DISTINCT c.round_id, c.coop_code
  FROM commitments c JOIN rounds r ON r.id = c.round_id AND r.status = 'closed'
 WHERE c.quantity > 0;

INSERT INTO round_summaries (round_id, coops_ordered, coops_kept)
SELECT r.id,
       (SELECT COUNT(*) FROM round_coops o WHERE o.round_id = r.id),
       (SELECT COUNT(*) FROM round_parties p WHERE p.round_id = r.id AND p.kind = 'coop')
  FROM rounds r WHERE r.status = 'closed';

WITH closed AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY COALESCE(closed_at, closes_at), id) AS n
      FROM rounds WHERE status = 'closed'
), spans AS (
    SELECT o.coop_code, MIN(k.n) AS first_n, MAX(k.n) AS last_n
      FROM round_coops o JOIN closed k ON k.id = o.round_id GROUP BY o.coop_code
)
INSERT INTO coop_order_spans (coop_code, first_round, last_round)
SELECT s.coop_code, f.id, l.id FROM spans s
  JOIN closed f ON f.n = s.first_n JOIN closed l ON l.n = s.last_n;
