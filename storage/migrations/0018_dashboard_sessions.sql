-- The web dashboard's sign-in without passwords (`bot.dashboard`, `usecases.dashboard`).
-- An admin's `/dasbor` makes a one-use sign-in link; opening it makes a session kept in an
-- HttpOnly cookie. Neither the link's token nor the session's is stored: only their SHA-256
-- (hex), so a copy of the database signs nobody in. Times are ISO-8601 UTC text, like every
-- other time; who is "<platform>", "<user id>" of a row in `admins` (a session of someone no
-- longer there is refused, so removing an admin ends their sessions). Needs only 0001.

CREATE TABLE dashboard_links (
    token_hash  TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

CREATE TABLE dashboard_sessions (
    token_hash  TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE INDEX dashboard_sessions_by_admin ON dashboard_sessions (platform, user_id);
