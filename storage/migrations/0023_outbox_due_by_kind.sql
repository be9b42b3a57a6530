-- The sender asks for the due replies first (`storage.delivery.outbox.due_of_kinds`, at each
-- fetch of a pass): with only `outbox_due` (status, next_attempt_at) it walked the whole due
-- backlog to find the few replies among 20,000 bills (3-10 ms a fetch, the longer the bills'
-- payloads the slower). With the kind in the index each kind's due rows are a range, already
-- in (next_attempt_at, id) order (the id is every index's last column), so the query merges
-- one short range per kind (0.04 ms). It also finds a chat's pending replies
-- (`has_pending_of_kinds`, after each queued reply is sent) among the replies, not every pending
-- row (6 ms → 0.05 ms). Needs only the outbox of 0001.

CREATE INDEX outbox_due_by_kind ON outbox (status, kind, next_attempt_at);
