-- When staff confirmed closing an open round early (NULL otherwise): from then on it takes no
-- order (`purchasing.rounds.check_takes_orders` answers that it is being closed), so the
-- close prepared outside its write transaction stays valid while treasurers keep writing
-- (in a province's round an order arriving meanwhile made the close compute everything
-- again inside it: every chat waited ~2.5 s). A round left closing by a crash is due for
-- a sweep after `purchasing.rounds.LEFT_CLOSING_AFTER` (`storage.rounds.due_for_close`).

ALTER TABLE rounds ADD COLUMN closing_since TEXT;
