"""Closing a round: one price per product, MOQ, supply caps, bills and purchase orders."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purchasing.model import Commitment, Product
from purchasing.outcome import (
    LineStatus,
    RoundOutcome,
    compute_outcome,
    outcome_of_groups,
    settle_group,
)
from tests.support.builders import (
    NOW,
    make_commitment,
    make_coop,
    make_product,
    make_round,
    make_supplier,
)

SUGAR = make_product(
    "GLP1",
    supplier_code="BULOG",
    market_price=800_000,
    price_tiers=((1, 750_000), (50, 720_000), (100, 700_000)),
    supply_cap=100,
)
OIL = make_product(
    "MNY2",
    name="Minyak goreng 2 L",
    supplier_code="INDOFOOD",
    unit="karton",
    market_price=130_000,
    price_tiers=((1, 125_000), (50, 118_000)),
    moq=50,
)
RICE = make_product("BRS5", supplier_code="BULOG", market_price=70_000, price_tiers=((1, 65_000),))
COOPS = [make_coop(f"KOP0{n}") for n in range(1, 6)]
SUPPLIERS = [make_supplier("BULOG", "Perum Bulog"), make_supplier("INDOFOOD", "Indofood")]


def close(
    *commitments: Commitment, products: tuple[Product, ...] = (SUGAR, OIL, RICE)
) -> RoundOutcome:
    return compute_outcome(make_round(*products), commitments, COOPS, SUPPLIERS)


def test_three_coops_order_sugar_over_the_cap_and_share_it_fairly() -> None:
    outcome = close(
        make_commitment("KOP01", "GLP1", 60),
        make_commitment("KOP02", "GLP1", 50),
        make_commitment("KOP03", "GLP1", 10),
    )
    [sugar, oil, rice] = outcome.products
    assert (sugar.total_asked, sugar.total_allocated, sugar.unit_price) == (120, 100, 700_000)
    assert not oil.filled and not rice.filled
    allocated = {bill.coop_code: bill.lines[0].allocated for bill in outcome.bills}
    assert allocated == {"KOP01": 50, "KOP02": 42, "KOP03": 8}
    assert all(bill.lines[0].status is LineStatus.CUT for bill in outcome.bills)
    [bulog] = outcome.purchase_orders
    assert bulog.supplier_name == "Perum Bulog"
    assert bulog.lines[0].per_coop == (("KOP01", 50), ("KOP02", 42), ("KOP03", 8))
    assert bulog.total == 100 * 700_000
    assert outcome.overview.cut == (sugar,)


def test_everybody_pays_the_price_the_total_reached() -> None:
    outcome = close(make_commitment("KOP01", "MNY2", 30), make_commitment("KOP02", "MNY2", 25))
    assert [bill.lines[0].unit_price for bill in outcome.bills] == [118_000, 118_000]
    assert [bill.total for bill in outcome.bills] == [30 * 118_000, 25 * 118_000]
    assert outcome.bills[0].saving == 30 * (130_000 - 118_000)
    assert all(bill.lines[0].status is LineStatus.FILLED for bill in outcome.bills)


def test_a_product_below_its_moq_is_not_ordered_and_reported_unfilled() -> None:
    outcome = close(make_commitment("KOP01", "MNY2", 30), make_commitment("KOP02", "BRS5", 4))
    oil = outcome.products[1]
    assert (oil.filled, oil.unit_price, oil.total_allocated, oil.short_of_moq) == (
        False,
        None,
        0,
        20,
    )
    [kop01, kop02] = outcome.bills
    assert kop01.lines[0].status is LineStatus.UNFILLED
    assert (kop01.lines[0].allocated, kop01.total) == (0, 0)
    assert [order.supplier_code for order in outcome.purchase_orders] == ["BULOG"]
    assert outcome.overview.unfilled == (oil,)
    assert kop02.total == 4 * 65_000


def test_bills_list_only_coops_that_ordered_in_coop_code_order() -> None:
    outcome = close(
        make_commitment("KOP03", "BRS5", 2),
        make_commitment("KOP01", "BRS5", 1),
        make_commitment("KOP02", "BRS5", 0),
    )
    assert [bill.coop_code for bill in outcome.bills] == ["KOP01", "KOP03"]
    assert outcome.bills[0].coop_name == "Koperasi KOP01"
    assert outcome.bills[0].delivery_note == "Diantar ke koperasi minggu depan"


def test_bill_lines_follow_the_round_catalog_order() -> None:
    outcome = close(make_commitment("KOP01", "BRS5", 2), make_commitment("KOP01", "GLP1", 3))
    assert [line.product_code for line in outcome.bills[0].lines] == ["GLP1", "BRS5"]


def test_the_overview_counts_participation_value_and_savings() -> None:
    outcome = close(
        make_commitment("KOP01", "GLP1", 10),
        make_commitment("KOP02", "BRS5", 4),
        make_commitment("KOP02", "MNY2", 3),
    )
    overview = outcome.overview
    assert (overview.coops_invited, overview.coops_ordered) == (5, 2)
    assert overview.order_value == 10 * 750_000 + 4 * 65_000
    assert overview.market_value == 10 * 800_000 + 4 * 70_000
    assert overview.savings == 10 * 50_000 + 4 * 5_000
    assert [p.product_code for p in overview.unfilled] == ["MNY2"]
    assert overview.cut == ()


def test_a_product_nobody_ordered_is_listed_but_not_unfilled() -> None:
    outcome = close(make_commitment("KOP01", "BRS5", 1))
    sugar = outcome.products[0]
    assert (sugar.total_asked, sugar.filled, sugar.unit_price) == (0, False, None)
    assert outcome.overview.unfilled == ()


def test_a_coop_squeezed_to_zero_units_is_not_in_the_delivery_list() -> None:
    scarce = make_product("GLP1", supply_cap=1)
    outcome = close(
        make_commitment("KOP01", "GLP1", 1, created_at=NOW + timedelta(minutes=5)),
        make_commitment("KOP02", "GLP1", 1, created_at=NOW),
        products=(scarce,),
    )
    assert outcome.purchase_orders[0].lines[0].per_coop == (("KOP02", 1),)
    assert outcome.bills[0].lines[0].allocated == 0
    assert outcome.bills[0].lines[0].status is LineStatus.CUT


def test_unknown_coops_and_suppliers_still_get_a_bill_under_their_code() -> None:
    outcome = compute_outcome(make_round(RICE), [make_commitment("KOP99", "BRS5", 1)], [], [])
    assert outcome.bills[0].coop_name == "KOP99"
    assert outcome.purchase_orders[0].supplier_name == "BULOG"


def test_commitments_to_products_outside_the_round_are_ignored() -> None:
    outcome = close(make_commitment("KOP01", "XXX", 5), products=(RICE,))
    assert outcome.bills == ()


def test_a_commitment_of_another_round_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        close(make_commitment(round_id=2))


coop_codes = st.sampled_from([f"KOP{n:02}" for n in range(12)])
product_codes = st.sampled_from(["GLP1", "MNY2", "BRS5"])
commitment_sets = st.lists(
    st.builds(
        make_commitment,
        coop_code=coop_codes,
        product_code=product_codes,
        quantity=st.integers(0, 80),
        created_at=st.sampled_from([NOW + timedelta(minutes=m) for m in range(3)]),
    ),
    max_size=40,
    unique_by=lambda c: (c.coop_code, c.product_code),
)


@settings(max_examples=200)
@given(commitment_sets)
def test_bills_add_up_to_the_purchase_orders(commitments: list[Commitment]) -> None:
    outcome = close(*commitments)
    assert sum(bill.total for bill in outcome.bills) == sum(
        order.total for order in outcome.purchase_orders
    )
    billed: Counter[str] = Counter()
    for bill in outcome.bills:
        for line in bill.lines:
            billed[line.product_code] += line.allocated
            assert line.allocated <= line.asked
    ordered: Counter[str] = Counter()
    for order in outcome.purchase_orders:
        for po_line in order.lines:
            ordered[po_line.product_code] += po_line.quantity
            assert sum(units for _, units in po_line.per_coop) == po_line.quantity
    assert +billed == +ordered
    for product in outcome.products:
        assert product.total_allocated <= (product.supply_cap or product.total_asked)
    assert outcome.overview.order_value == sum(bill.total for bill in outcome.bills)


@given(commitment_sets, st.integers(min_value=1, max_value=3))
def test_a_round_settled_a_few_products_at_a_time_has_the_outcome_of_all_at_once(
    commitments: list[Commitment], per_group: int
) -> None:
    round_ = make_round(SUGAR, OIL, RICE)
    groups = [round_.items[start : start + per_group] for start in range(0, 3, per_group)]
    settled = [
        settle_group(
            replace(round_, items=group),
            [c for c in commitments if c.product_code in {item.product_code for item in group}],
        )
        for group in groups
    ]
    assert outcome_of_groups(round_, settled, COOPS, SUPPLIERS) == close(*commitments)


@given(commitment_sets, st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_the_order_commitments_arrive(
    commitments: list[Commitment], random: Random
) -> None:
    shuffled = list(commitments)
    random.shuffle(shuffled)
    assert close(*shuffled) == close(*commitments)
