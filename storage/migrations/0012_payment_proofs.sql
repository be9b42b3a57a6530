-- Proof of transfer a treasurer sends for a bill (photo or PDF), kept until an admin verifies
-- it (a payment is then recorded, source 'proof') or rejects it. The file is stored next to
-- the database under its SHA-256 (`file`: its name there); sending the same file again for
-- the same coop changes nothing.

CREATE TABLE payment_proofs (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    coop_code     TEXT NOT NULL,
    file          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    handled_by    TEXT,
    handled_at    TEXT,
    UNIQUE (coop_code, sha256)
);
