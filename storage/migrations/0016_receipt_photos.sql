-- Photos a coop's treasurer sends of goods that arrived damaged or short, after confirming
-- the receipt with the lines that came short. The file is kept next to the database under
-- its SHA-256 (`file`: its name there, as for payment_proofs); the same file sent again for
-- the same coop and round is kept once.

CREATE TABLE receipt_photos (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    coop_code  TEXT NOT NULL,
    file       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    sent_by    TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    UNIQUE (round_id, coop_code, sha256)
);
