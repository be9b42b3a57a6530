-- A supplier confirms its purchase order of a closed round once: the delivery date, and
-- how many lines it cannot ship in full. A shortage changes the coops' allocations of that
-- product (commitments.allocated); every such change of a bill is kept in bill_changes with
-- its reason, who made it and when.

CREATE TABLE supplier_confirmations (
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    supplier_code  TEXT NOT NULL,
    delivery_on    TEXT NOT NULL,
    short_lines    INTEGER NOT NULL,
    confirmed_by   TEXT NOT NULL,
    confirmed_at   TEXT NOT NULL,
    PRIMARY KEY (round_id, supplier_code)
);

CREATE TABLE bill_changes (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    coop_code      TEXT NOT NULL,
    product_code   TEXT NOT NULL,
    old_allocated  INTEGER NOT NULL,
    new_allocated  INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL
);

CREATE INDEX bill_changes_by_bill ON bill_changes (round_id, coop_code);
