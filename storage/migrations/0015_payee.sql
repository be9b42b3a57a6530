-- Who the coops of a round pay, fixed when it closes (`[office] payee`): 'office' (the
-- issuing office or a lead coop collects: one bill per coop) or 'supplier' (each supplier
-- is paid directly: one bill per coop per supplier). Rounds closed before this migration
-- were office-paid. A payment and a proof name their bill by (round_id, coop_code,
-- supplier_code), the supplier '' when the office collects.

ALTER TABLE rounds ADD COLUMN payee TEXT NOT NULL DEFAULT 'office'
    CHECK (payee IN ('office', 'supplier'));
ALTER TABLE payments ADD COLUMN supplier_code TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_proofs ADD COLUMN supplier_code TEXT NOT NULL DEFAULT '';
