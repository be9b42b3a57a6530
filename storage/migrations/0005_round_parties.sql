-- The coops and suppliers of each closed round as they were at close, so its outcome and
-- exports (coops invited, names on bills and purchase orders) do not change when the
-- catalog is imported again later. Written in close_round's transaction; rounds closed
-- before this migration have no rows here (storage/round_parties.py falls back).

CREATE TABLE round_parties (
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    kind     TEXT NOT NULL CHECK (kind IN ('coop', 'supplier')),
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    address  TEXT NOT NULL DEFAULT '',  -- coops only
    contact  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, kind, code)
);
