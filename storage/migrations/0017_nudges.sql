-- Nudges: an admin's `/ingatkan` reminding coops that have not ordered in a round, now
-- (`usecases.nudges`). One row per coop nudged, with when (ISO-8601 UTC text, like every other
-- time) and by whom ("<platform>:<user id>"): the audit of who nudged whom, and what keeps a
-- coop from being nudged more than once an hour. Needs only the tables of 0001.

CREATE TABLE coop_nudges (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    coop_code  TEXT NOT NULL,
    nudged_at  TEXT NOT NULL,
    nudged_by  TEXT NOT NULL
);

CREATE INDEX coop_nudges_by_round ON coop_nudges (round_id, coop_code, nudged_at);
