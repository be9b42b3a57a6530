"""After the close Bulog ships 50 of the 60 sacks of sugar (DT 40 → 33, KKPITB 20 → 17), and
KKPITB then receives only 16: the bills and Bulog's purchase order show what stands now."""

from __future__ import annotations

from purchasing.as_it_stands import UnitsNow, as_it_stands
from purchasing.outcome import LineStatus
from tests.support.closed_round import the_outcome

CHANGED = {
    ("DT", "GLP-50"): UnitsNow(33, "shortage"),
    ("KKPITB", "GLP-50"): UnitsNow(16, "receipt"),
}


def test_the_bills_show_the_units_each_coop_gets_now_at_the_price_reached() -> None:
    before = the_outcome()
    after = as_it_stands(before, CHANGED)
    dt, kkpitb = after.bills[1], after.bills[2]

    assert [(line.allocated, line.status, line.changed_by) for line in dt.lines] == [
        (33, LineStatus.CUT, "shortage"),  # asked 40, gets 33 of what Bulog ships
        (188, LineStatus.CUT, ""),  # the oil was cut at the close: unchanged
    ]
    assert (kkpitb.lines[0].allocated, kkpitb.lines[0].changed_by) == (16, "receipt")
    assert dt.total == before.bills[1].total - 7 * 855_000
    assert kkpitb.lines[1] == before.bills[2].lines[1]  # the noodles missed their MOQ
    assert after.bills[0] == before.bills[0]  # ATTAQWA bought no sugar


def test_the_purchase_order_shows_the_units_per_coop_and_in_all_now() -> None:
    [order] = as_it_stands(the_outcome(), CHANGED).purchase_orders
    sugar, oil = order.lines

    assert (sugar.quantity, sugar.per_coop) == (49, (("DT", 33), ("KKPITB", 16)))
    assert oil == the_outcome().purchase_orders[0].lines[1]


def test_without_changes_the_outcome_is_the_one_of_the_close() -> None:
    outcome = the_outcome()

    assert as_it_stands(outcome, {}) is outcome
