-- Each product's units ordered so far in a round (the SUM of its commitments' quantities)
-- and how many coops ordered it (their COUNT), kept up to date by SQLite itself: every order
-- reads them (`storage.commitments.order_state`, and the coop's lines in the reply,
-- `storage.commitment_reads.COOP_LINES`). Summed from `commitments_by_product` the units cost
-- about 1 ms per product a province's coops all order, on every order, inside its write
-- transaction; read here they are one key lookup each, so an order's trip no longer grows
-- with the round and may run on the loop's thread (see `storage.database`). The count says
-- how much a share over a supply cap would read (`storage.commitment_reads.coop_lines_briefly`).
-- Triggers rather than the writers keep it, so no writer can forget it (orders, the sheet of
-- orders, and the benchmarks' and tests' own INSERTs): about 3 µs per commitment written.
-- A product whose commitments are all removed keeps a row of 0 units and 0 coops.
-- The close's own figures are `round_product_totals` (0020), written once at the close.

CREATE TABLE units_ordered (
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    product_code  TEXT NOT NULL,
    units         INTEGER NOT NULL,
    coops         INTEGER NOT NULL,
    PRIMARY KEY (round_id, product_code)
) WITHOUT ROWID;

INSERT INTO units_ordered (round_id, product_code, units, coops)
SELECT round_id, product_code, SUM(quantity), COUNT(*) FROM commitments
 GROUP BY round_id, product_code;

CREATE TRIGGER units_ordered_on_insert AFTER INSERT ON commitments BEGIN
    INSERT INTO units_ordered (round_id, product_code, units, coops)
    VALUES (NEW.round_id, NEW.product_code, NEW.quantity, 1)
    ON CONFLICT (round_id, product_code)
    DO UPDATE SET units = units + excluded.units, coops = coops + 1;
END;

CREATE TRIGGER units_ordered_on_delete AFTER DELETE ON commitments BEGIN
    UPDATE units_ordered SET units = units - OLD.quantity, coops = coops - 1
     WHERE round_id = OLD.round_id AND product_code = OLD.product_code;
END;

CREATE TRIGGER units_ordered_on_update AFTER UPDATE OF quantity ON commitments
WHEN NEW.round_id = OLD.round_id AND NEW.product_code = OLD.product_code BEGIN
    UPDATE units_ordered SET units = units + NEW.quantity - OLD.quantity
     WHERE round_id = NEW.round_id AND product_code = NEW.product_code;
END;

-- Nothing moves a commitment to another round or product; if something ever did, the units
-- would follow it.
CREATE TRIGGER units_ordered_on_move AFTER UPDATE OF round_id, product_code ON commitments
WHEN NEW.round_id != OLD.round_id OR NEW.product_code != OLD.product_code BEGIN
    UPDATE units_ordered SET units = units - OLD.quantity, coops = coops - 1
     WHERE round_id = OLD.round_id AND product_code = OLD.product_code;
    INSERT INTO units_ordered (round_id, product_code, units, coops)
    VALUES (NEW.round_id, NEW.product_code, NEW.quantity, 1)
    ON CONFLICT (round_id, product_code)
    DO UPDATE SET units = units + excluded.units, coops = coops + 1;
END;
