-- The open round's progress chart posted to the group once a day (`usecases.charts`,
-- `storage.round_charts`): per round, the office's local day ("YYYY-MM-DD") of its last
-- daily chart and when it was queued (ISO-8601 UTC text, like every other time), so the
-- chart goes out at most once a day however often or in how many processes the sweep runs.
-- Needs only 0001.

CREATE TABLE round_chart_posts (
    round_id   INTEGER PRIMARY KEY REFERENCES rounds (id),
    posted_on  TEXT NOT NULL,
    posted_at  TEXT NOT NULL
);
