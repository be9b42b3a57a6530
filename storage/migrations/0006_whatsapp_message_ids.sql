-- The WhatsApp message ids (wamids) of what the outbox sender sent, so that a "failed"
-- status Meta posts later finds its outbox row; and an index to find an outbox row by the
-- platform's id of the message it became (`sent_message_id` in its payload).
-- Needs only the tables of 0001 (outbox).

CREATE TABLE whatsapp_sent_messages (
    wamid        TEXT PRIMARY KEY,      -- the Graph API's id of one message we sent
    user_id      TEXT NOT NULL,         -- whom to (storage.whatsapp's user id)
    outbox_wamid TEXT NOT NULL,         -- the last message of the same send: the outbox
                                        -- row's sent_message_id (a reply may be several)
    sent_as      TEXT NOT NULL CHECK (sent_as IN ('text', 'template')),
    sent_at      TEXT NOT NULL,
    failed_code  INTEGER,               -- from the first "failed" status; a repeat is ignored
    failed_at    TEXT
);

CREATE INDEX whatsapp_sent_messages_by_time ON whatsapp_sent_messages (sent_at);

-- Meta said the 24-hour window was closed when this was sent (131047): see
-- storage.whatsapp_sends.window_refused_at.
CREATE INDEX whatsapp_sent_messages_refused ON whatsapp_sent_messages (user_id, sent_at)
    WHERE failed_code = 131047;

CREATE INDEX outbox_by_sent_message_id
    ON outbox (platform, json_extract(payload, '$.sent_message_id'));
