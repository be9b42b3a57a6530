-- A product's total in a round (SUM(quantity) of its commitments) is read on every order and
-- every treasurer's estimate (`storage.commitments.order_state`,
-- `storage.commitment_reads.coop_lines`). With the quantity in the index the sum reads the
-- index alone instead of looking each row up in the table. The index of migration 0003 is
-- its prefix, so this one replaces it (the close still finds a product's rows by it). The
-- coop is left out on purpose: with it, SQLite (which keeps no statistics here) would read
-- a coop's own lines from this index by round instead of from the primary key by coop.

DROP INDEX commitments_by_product;
CREATE INDEX commitments_by_product ON commitments (round_id, product_code, quantity);
