-- A supplier's bank account (rekening, the `rekening` column of pemasok.csv), free text such
-- as 'BRI 0123-01-000123-30-1 a.n. Perum Bulog', so that a bill can say where to transfer
-- when the coops pay the supplier directly. '' means none given; suppliers loaded before
-- this migration have none until the file is imported again.
--
-- round_parties keeps it for the suppliers of a closed round as it was at close (coops
-- rows leave it ''), like their names and contacts: a later import does not change the
-- account an old bill names. Rounds closed before this migration kept '' for everyone.

ALTER TABLE suppliers ADD COLUMN account TEXT NOT NULL DEFAULT '';

ALTER TABLE round_parties ADD COLUMN account TEXT NOT NULL DEFAULT '';  -- suppliers only
