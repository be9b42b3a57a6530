-- A queued message may be withdrawn before it is sent: status 'withdrawn' (reason in
-- `last_error`). A round's reminders and nudges still waiting when it closes, is cancelled or
-- gets a later deadline say something no longer true ("order by 17:00"), and were sent after
-- the close (a restart after the deadline, a long backlog). `usecases.notices.reminders.
-- withdraw_reminders` withdraws them in the move's own transaction; such a row is kept, so
-- the outbox still says what was queued and why it never went.
--
-- The statuses are a CHECK of the outbox of 0001, which SQLite cannot alter: the table is
-- rebuilt with the same columns, rows and indexes (0002, 0006, 0023), and its AUTOINCREMENT
-- counter is kept, so an id is never given twice (the sender reads "queued after id N").
-- Every row is copied once: an upgrade of a large outbox takes a few seconds.

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,  -- JSON object
    dedupe_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'failed', 'unreachable', 'withdrawn')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);

INSERT INTO outbox_new (id, platform, chat_id, kind, payload, dedupe_key, status, attempts,
                        next_attempt_at, last_error, created_at, sent_at)
SELECT id, platform, chat_id, kind, payload, dedupe_key, status, attempts, next_attempt_at,
       last_error, created_at, sent_at
FROM outbox;

DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence
WHERE name = 'outbox';

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_sent_message_id
    ON outbox (platform, json_extract(payload, '$.sent_message_id'));
CREATE INDEX outbox_due_by_kind ON outbox (status, kind, next_attempt_at);
