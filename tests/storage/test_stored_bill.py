"""A coop's bill read back from what the close wrote down is the bill the close computed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from purchasing.outcome import LineStatus
from storage.database import Database
from storage.round_results import stored_bill
from storage.rounds import get_round
from tests.support.builders import NOW
from tests.support.storage_builders import place_order, seed_open_round
from tests.support.use_case_steps import close_round

DEADLINE = NOW + timedelta(days=2)
CUT = {"KOP01": {"BRS5": 20, "GLP1": 30}, "KOP02": {"BRS5": 15, "MIE1": 4}, "KOP03": {"GLP1": 2}}
UNFILLED = {"KOP01": {"BRS5": 5, "GLP1": 3}, "KOP02": {"MIE1": 1}}


@pytest.mark.parametrize("orders", [CUT, UNFILLED], ids=["supply cut", "moq missed"])
async def test_every_coops_stored_bill_is_the_bill_the_close_computed(
    db: Database, orders: dict[str, dict[str, int]]
) -> None:
    round_ = await seed_open_round(db, closes_at=DEADLINE)
    for coop, lines in orders.items():
        for product, quantity in lines.items():
            await place_order(db, round_, coop, product, quantity)

    outcome = await close_round(db, round_.id, DEADLINE)
    closed = await get_round(db, round_.id)

    assert outcome is not None and closed is not None
    results = {product.product_code: product for product in outcome.products}
    for bill in outcome.bills:
        stored = await stored_bill(db, closed, bill.coop_code)
        assert stored is not None and stored.bill == bill
        assert stored.products == {
            line.product_code: results[line.product_code] for line in bill.lines
        }
    assert await stored_bill(db, closed, "KOP05") is None  # ordered nothing
    statuses = {line.status for bill in outcome.bills for line in bill.lines}
    assert (LineStatus.CUT if orders is CUT else LineStatus.UNFILLED) in statuses
