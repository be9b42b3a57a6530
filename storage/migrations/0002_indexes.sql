-- Indexes for the queries the bot runs often: the outbox sender's sweep, the rounds
-- sweeps, a round's audit log and a rep's coops.

CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX rounds_by_status ON rounds (status, closes_at);
CREATE INDEX commitment_audit_by_round ON commitment_audit (round_id, id);
CREATE INDEX reps_by_coop ON reps (coop_code);
CREATE INDEX processed_updates_by_time ON processed_updates (at);
