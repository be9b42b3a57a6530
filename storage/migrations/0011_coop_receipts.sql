-- A coop confirms what arrived of its bill of a closed round, once. Goods that did not
-- arrive change the coop's allocation (commitments.allocated), kept in bill_changes with
-- the reason 'receipt'.

CREATE TABLE coop_receipts (
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    coop_code     TEXT NOT NULL,
    short_lines   INTEGER NOT NULL,
    confirmed_by  TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    PRIMARY KEY (round_id, coop_code)
);
