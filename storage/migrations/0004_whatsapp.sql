-- WhatsApp: who a wa_id is, the numbered options a user may answer by number, the
-- business-initiated conversations of the last 24 hours (the tier's daily limit), and the
-- full replies held back while only a template message could be sent.

CREATE TABLE whatsapp_identities (
    user_id      TEXT PRIMARY KEY,  -- what the bot calls this person: wa_id, else the BSUID
    wa_id        TEXT,              -- the phone-based id (absent for username-only users)
    bsuid        TEXT,              -- the business-scoped user id (newer Cloud API payloads)
    parent_bsuid TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);

CREATE UNIQUE INDEX whatsapp_identities_by_bsuid ON whatsapp_identities (bsuid)
    WHERE bsuid IS NOT NULL;

CREATE TABLE whatsapp_numbered_options (
    user_id    TEXT PRIMARY KEY,
    payloads   TEXT NOT NULL,  -- JSON array: option number n is element n - 1
    updated_at TEXT NOT NULL
);

CREATE TABLE whatsapp_conversations (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL,
    template   TEXT NOT NULL,
    started_at TEXT NOT NULL
);

CREATE INDEX whatsapp_conversations_by_time ON whatsapp_conversations (started_at, user_id);

CREATE TABLE whatsapp_held_replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: it names the outbox row
    user_id    TEXT NOT NULL,
    payload    TEXT NOT NULL,  -- an encoded Reply (handlers.outbox_codec)
    digest     TEXT NOT NULL,  -- of the payload: holding the same reply twice keeps one
    created_at TEXT NOT NULL,
    UNIQUE (user_id, digest)
);
