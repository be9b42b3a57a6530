-- Money received against the bills of closed rounds. A bill is a coop's share of a closed
-- round (its number is purchasing.paperwork.bill_number); a payment names the bill by
-- (round_id, coop_code). `source_key` makes recording the same credit twice (a bank
-- statement imported again) a no-op. Amounts are whole Rupiah; `paid_on` is the date of
-- the credit (YYYY-MM-DD, as the bank wrote it), `recorded_at` ISO-8601 UTC like every time.

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    coop_code    TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    paid_on      TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    source_key   TEXT NOT NULL UNIQUE,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE INDEX payments_by_bill ON payments (round_id, coop_code);
