-- Why an admin rejected a proof of transfer (`/tolak BUKTI ALASAN`), told to the treasurer.

ALTER TABLE payment_proofs ADD COLUMN reason TEXT;
