-- Invites for supplier reps too. `role` says what redeeming the invite makes someone, and
-- coop_code holds a supplier code when role = 'supplier' (as in `reps`), so the foreign key
-- to coops has to go (storage.invites checks the code exists instead).
--
-- SQLite cannot drop a foreign key in place: the table is rebuilt the way
-- https://www.sqlite.org/lang_altertable.html#otheralter describes (new table, copy every
-- row, drop the old one, rename the new one). No other table, index, trigger or view refers
-- to invites, so there is nothing else to recreate. The migrator runs this inside its one
-- transaction, where PRAGMA foreign_keys cannot change; it need not: no foreign key points
-- at invites, so dropping it checks nothing, and the new table has no foreign key to check.

CREATE TABLE invites_new (
    code       TEXT PRIMARY KEY,
    coop_code  TEXT NOT NULL,  -- a supplier code when role = 'supplier'
    role       TEXT NOT NULL DEFAULT 'treasurer' CHECK (role IN ('treasurer', 'supplier')),
    max_uses   INTEGER CHECK (max_uses IS NULL OR max_uses >= 1),
    uses       INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

INSERT INTO invites_new (code, coop_code, role, max_uses, uses, expires_at, created_by,
                         created_at)
    SELECT code, coop_code, 'treasurer', max_uses, uses, expires_at, created_by, created_at
      FROM invites;

DROP TABLE invites;

ALTER TABLE invites_new RENAME TO invites;
