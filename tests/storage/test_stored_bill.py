"""A coop's bill read back from what the close wrote down is the bill the close computed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from purchasing.outcome import LineStatus
from storage.database import Database
from storage.round_results import BillParties, bill_parties, stored_bill
from storage.rounds import get_round
from tests.support.builders import NOW, make_coop, make_supplier
from tests.support.storage_builders import place_order, seed_open_round
from tests.support.use_case_steps import close_round, import_catalog

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


async def test_a_bills_coop_and_payee_are_as_kept_at_the_close_or_todays_where_none_were(
    db: Database,
) -> None:
    round_ = await seed_open_round(db, closes_at=DEADLINE)
    await place_order(db, round_, "KOP01", "GLP1", 30)
    await close_round(db, round_.id, DEADLINE)
    at_close = await bill_parties(db, round_.id, "KOP01", "BULOG")
    renamed = make_coop("KOP01", "Kopontren Nama Baru", address="Jl. Baru 1")
    await import_catalog(db, [renamed], [make_supplier("BULOG", "Perum Bulog Nama Baru")])

    kept = await bill_parties(db, round_.id, "KOP01", "BULOG")
    to_office = await bill_parties(db, round_.id, "KOP01")
    unknown = await bill_parties(db, round_.id, "KOP99", "NOSUCH")
    await db.execute("DELETE FROM round_parties WHERE round_id = ?", (round_.id,))
    today = await bill_parties(db, round_.id, "KOP01", "BULOG")  # as before migration 0005

    assert kept == at_close and kept.coop is not None and kept.supplier is not None
    assert kept.coop.name != renamed.name and kept.supplier.name != "Perum Bulog Nama Baru"
    assert to_office.coop == kept.coop and to_office.supplier is None
    assert unknown == BillParties(None, None)
    assert today.coop == renamed and today.supplier is not None
    assert today.supplier.name == "Perum Bulog Nama Baru"
