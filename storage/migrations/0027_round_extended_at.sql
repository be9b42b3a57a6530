-- When a round's deadline was last moved later (NULL: never), by staff or by its MOQ
-- extension (`purchasing.rounds.extend_round`). A reminder planned for a moment before it
-- is not sent (`purchasing.reminders.reminder_due_at`): the extension notice has just told
-- everyone the new deadline, and a "24 hours left" reminder queued with it, when 12 hours
-- are left, or a second "2 hours left" a moment after the first, only confused. A round
-- extended before this column existed is treated as never extended.

ALTER TABLE rounds ADD COLUMN extended_at TEXT;
