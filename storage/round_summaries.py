"""What a close sums up for the reports across closed rounds (migration 0020): the round's
coops that ordered, each product's and each supplier's units at the prices reached (and the
products' values), the coops its close kept, and each of its coops' first and last round
ordered. Written once, in the close's transaction, after `round_results.store_outcome` and
`round_parties.keep_parties`; read by `storage.reports`. Each bill's total too (migration
0021), for the payments report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from purchasing.outcome import RoundOutcome
from storage.database import Connection

_SUMMARY = """
INSERT INTO round_summaries (round_id, coops_ordered, coops_kept)
SELECT ?, ?, (SELECT COUNT(*) FROM round_parties p WHERE p.round_id = ? AND p.kind = 'coop')
"""

# The round being closed is each of its coops' last round ordered, and the first of a coop
# new to the rounds; unless another round closed later (or at the same moment with a larger
# id: the order of the reports), which a moved clock could make.
_SPANS = """
INSERT INTO coop_order_spans (coop_code, first_round, last_round)
SELECT coop_code, round_id, round_id FROM round_coops WHERE round_id = ?
ON CONFLICT (coop_code) DO UPDATE SET
    first_round = CASE WHEN (SELECT COALESCE(closed_at, closes_at), id FROM rounds
                              WHERE id = excluded.first_round)
                          < (SELECT COALESCE(closed_at, closes_at), id FROM rounds
                              WHERE id = coop_order_spans.first_round)
                       THEN excluded.first_round ELSE coop_order_spans.first_round END,
    last_round = CASE WHEN (SELECT COALESCE(closed_at, closes_at), id FROM rounds
                             WHERE id = excluded.last_round)
                         > (SELECT COALESCE(closed_at, closes_at), id FROM rounds
                             WHERE id = coop_order_spans.last_round)
                      THEN excluded.last_round ELSE coop_order_spans.last_round END
"""


@dataclass(frozen=True, slots=True)
class SummaryRows:
    """The sums `store_summary` writes that are worked out from the outcome alone (a pass
    over its 300,000 lines in a province's round): `summary_rows` makes them before the
    close's transaction, so that it only writes them. `by_supplier`: the bills' totals are
    per supplier (the round's suppliers paid directly)."""

    by_supplier: bool
    suppliers: list[tuple[str, int, int]]
    bill_totals: list[tuple[str, str, int]]


def summary_rows(outcome: RoundOutcome, *, by_supplier: bool) -> SummaryRows:
    """The supplier totals and each bill's total (per supplier with `by_supplier`), in one
    pass over the bills' lines."""
    supplier_of = {p.product_code: p.supplier_code for p in outcome.products}
    priced = {
        p.product_code: p.supplier_code
        for p in outcome.products
        if p.total_asked > 0 and p.unit_price is not None
    }
    units: dict[str, int] = defaultdict(int)
    for product in outcome.products:
        if product.product_code in priced:
            units[product.supplier_code] += product.total_allocated
    coops: dict[str, int] = defaultdict(int)
    bill_totals: list[tuple[str, str, int]] = []
    for bill in outcome.bills:
        suppliers: set[str] = set()
        totals: dict[str, int] = defaultdict(int)
        for line in bill.lines:
            code = line.product_code
            if code in priced:
                suppliers.add(priced[code])
            if line.unit_price is not None:
                totals[supplier_of[code] if by_supplier else ""] += line.allocated * line.unit_price
        for supplier in suppliers:
            coops[supplier] += 1
        bill_totals.extend((bill.coop_code, supplier, total) for supplier, total in totals.items())
    supplier_totals = [(code, units[code], coops[code]) for code in sorted(units)]
    return SummaryRows(by_supplier, supplier_totals, bill_totals)


async def store_summary(
    conn: Connection, outcome: RoundOutcome, rows: SummaryRows | None = None
) -> None:
    """Sum up a round being closed from its outcome, as `store_outcome` has just stored it
    (the rows migration 0020 makes of a round closed before it: per product bought at a price,
    its units times that price and times the market price; the coops with a bill), and the
    coops the close kept. Call once, inside the close's transaction, after `keep_parties`.
    `rows`: `summary_rows` of the same outcome, made before (used when made for the payee
    the round was closed with)."""
    round_id = outcome.round_id
    payee = await conn.fetch_all("SELECT payee FROM rounds WHERE id = ?", (round_id,))
    by_supplier = bool(payee) and payee[0]["payee"] == "supplier"
    if rows is None or rows.by_supplier != by_supplier:
        rows = summary_rows(outcome, by_supplier=by_supplier)
    await conn.execute_many(
        "INSERT INTO round_product_totals (round_id, product_code, units, order_value, "
        "market_value) VALUES (?, ?, ?, ?, ?)",
        [
            (round_id, p.product_code, p.total_allocated, p.total_allocated * p.unit_price,
             p.total_allocated * p.market_price)
            for p in outcome.products
            if p.total_asked > 0 and p.unit_price is not None
        ],
    )  # fmt: skip
    await conn.execute_many(
        "INSERT INTO round_supplier_totals (round_id, supplier_code, units, coops) "
        "VALUES (?, ?, ?, ?)",
        [(round_id, *supplier) for supplier in rows.suppliers],
    )
    await conn.execute_many(
        "INSERT INTO round_coops (round_id, coop_code) VALUES (?, ?)",
        [(round_id, bill.coop_code) for bill in outcome.bills],
    )
    await conn.execute(_SUMMARY, (round_id, len(outcome.bills), round_id))
    await conn.execute(_SPANS, (round_id,))
    await conn.execute_many(
        "INSERT INTO round_bill_totals (round_id, coop_code, supplier_code, total) "
        "VALUES (?, ?, ?, ?)",
        [(round_id, *total) for total in rows.bill_totals],
    )
