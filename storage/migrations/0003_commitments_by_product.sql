-- Closing a round settles each product in one UPDATE of all its lines, and the live totals
-- group by product: both look commitments up by (round, product).

CREATE INDEX commitments_by_product ON commitments (round_id, product_code);
