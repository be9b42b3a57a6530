-- Belanja Bareng: the first schema. Times are ISO-8601 UTC text (see storage/encoding.py);
-- money is integer Rupiah; booleans are 0/1.

CREATE TABLE coops (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT ''
);

CREATE TABLE suppliers (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT ''
);

CREATE TABLE products (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    supplier_code TEXT NOT NULL REFERENCES suppliers (code),
    unit          TEXT NOT NULL,
    contents      TEXT NOT NULL DEFAULT '',
    market_price  INTEGER NOT NULL CHECK (market_price >= 0),
    moq           INTEGER CHECK (moq IS NULL OR moq >= 1),
    max_per_coop  INTEGER CHECK (max_per_coop IS NULL OR max_per_coop >= 1),
    supply_cap    INTEGER CHECK (supply_cap IS NULL OR supply_cap >= 1)
);

CREATE TABLE product_tiers (
    product_code TEXT NOT NULL REFERENCES products (code) ON DELETE CASCADE,
    min_total    INTEGER NOT NULL CHECK (min_total >= 1),
    unit_price   INTEGER NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (product_code, min_total)
);

-- coop_code holds a supplier code when role = 'supplier'.
CREATE TABLE reps (
    platform     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    coop_code    TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT 'treasurer' CHECK (role IN ('treasurer', 'supplier')),
    display_name TEXT NOT NULL DEFAULT '',
    added_at     TEXT NOT NULL,
    PRIMARY KEY (platform, user_id, coop_code)
);

CREATE TABLE admins (
    platform     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    added_by     TEXT NOT NULL DEFAULT '',
    added_at     TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE rounds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    opens_at      TEXT NOT NULL,
    closes_at     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'open', 'closed', 'cancelled')),
    delivery_note TEXT NOT NULL DEFAULT '',
    moq_policy    TEXT NOT NULL DEFAULT 'drop' CHECK (moq_policy IN ('drop', 'extend')),
    extend_hours  INTEGER NOT NULL DEFAULT 0 CHECK (extend_hours >= 0),
    extended      INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    closed_at     TEXT
);

-- The price snapshot of a round: a copy of each product, not a reference to the catalog.
CREATE TABLE round_items (
    round_id      INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    product_code  TEXT NOT NULL,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    supplier_code TEXT NOT NULL,
    unit          TEXT NOT NULL,
    contents      TEXT NOT NULL DEFAULT '',
    market_price  INTEGER NOT NULL,
    tiers         TEXT NOT NULL,  -- JSON [[min_total, unit_price], ...]
    moq           INTEGER,
    max_per_coop  INTEGER,
    supply_cap    INTEGER,
    PRIMARY KEY (round_id, product_code)
);

CREATE TABLE commitments (
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    coop_code    TEXT NOT NULL REFERENCES coops (code),
    product_code TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    actor        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    allocated    INTEGER,  -- filled at close
    unit_price   INTEGER,  -- filled at close; NULL when the product was not ordered
    PRIMARY KEY (round_id, coop_code, product_code),
    FOREIGN KEY (round_id, product_code) REFERENCES round_items (round_id, product_code)
);

CREATE TABLE commitment_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    coop_code    TEXT NOT NULL,
    product_code TEXT NOT NULL,
    old_quantity INTEGER NOT NULL,
    new_quantity INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    via          TEXT NOT NULL,
    message_id   TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL
);

CREATE TABLE round_results (
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    product_code    TEXT NOT NULL,
    total_asked     INTEGER NOT NULL,
    total_allocated INTEGER NOT NULL,
    unit_price      INTEGER,
    filled          INTEGER NOT NULL CHECK (filled IN (0, 1)),
    PRIMARY KEY (round_id, product_code)
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,  -- JSON object
    dedupe_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'failed', 'unreachable')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);

CREATE TABLE conversation_state (
    platform   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    state      TEXT NOT NULL,  -- JSON object
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE invites (
    code       TEXT PRIMARY KEY,
    coop_code  TEXT NOT NULL REFERENCES coops (code),
    max_uses   INTEGER CHECK (max_uses IS NULL OR max_uses >= 1),
    uses       INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE linked_groups (
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    linked_by TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);

CREATE TABLE user_prefs (
    platform         TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    language         TEXT,
    acting_coop_code TEXT,
    last_inbound_at  TEXT,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE processed_updates (
    platform  TEXT NOT NULL,
    update_id TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (platform, update_id)
);
