-- Retiring coops and products: a soft switch, never a delete. `retired_at` (ISO-8601 UTC
-- text, like every other time) is set by `belanja-bareng coops|products retire` and cleared
-- by `restore` or by importing the row again; NULL means current. Past rounds, bills and
-- exports keep every row: see storage/catalog.py for which reads skip retired ones.
-- Needs only the tables of 0001.

ALTER TABLE products ADD COLUMN retired_at TEXT;

ALTER TABLE coops ADD COLUMN retired_at TEXT;
