"""An open round's estimate for a coop: sure, below the MOQ, or over-subscribed supply."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purchasing.allocation import AllocationRequest, allocate
from purchasing.estimate import (
    CoopLine,
    Estimate,
    Standing,
    coop_estimate,
    coop_estimates,
    estimate_of,
    share_of,
)
from purchasing.model import Commitment, MoqPolicy, Product, Round
from purchasing.outcome import compute_outcome
from tests.support.builders import NOW, make_commitment, make_product, make_round

NOODLES = make_product("IDM", unit="karton", price_tiers=((1, 122_000), (30, 119_000)))
OIL = make_product("MNY2", unit="karton", price_tiers=((1, 125_000), (50, 118_000)), moq=50)
RICE = make_product(
    "BRS", unit="karung", price_tiers=((1, 650_000), (100, 630_000)), supply_cap=125
)
ROUND = make_round(NOODLES, OIL, RICE)
LATER = NOW + timedelta(minutes=5)
COMMITMENTS = (
    make_commitment("KOP01", "IDM", 10),
    make_commitment("KOP02", "IDM", 25),  # 35 in all: the 30-carton price, Rp 119.000
    make_commitment("KOP01", "MNY2", 20),
    make_commitment("KOP02", "MNY2", 15),  # 35 of the 50 needed: 15 short
    make_commitment("KOP01", "BRS", 100),
    make_commitment("KOP02", "BRS", 50, created_at=LATER),  # 150 asked of 125
)


def test_a_product_with_its_moq_met_and_enough_supply_is_sure() -> None:
    estimate = coop_estimate(ROUND, "KOP01", COMMITMENTS)

    noodles = estimate.lines[0]
    assert (noodles.item.product_code, noodles.standing) == ("IDM", Standing.SURE)
    assert (noodles.unit_price, noodles.share, noodles.subtotal) == (119_000, 10, 1_190_000)
    assert estimate.sure == 1_190_000


def test_a_product_below_its_moq_is_at_risk_and_says_how_many_units_the_round_needs() -> None:
    oil = coop_estimate(ROUND, "KOP01", COMMITMENTS).lines[1]

    assert oil.standing is Standing.BELOW_MOQ
    assert (oil.total, oil.short_of_moq) == (35, 15)
    assert (oil.unit_price, oil.subtotal) == (125_000, 2_500_000)  # 20 × 125.000
    assert (oil.share, oil.share_subtotal) == (0, 0)  # dropped if the round closed now


def test_over_subscribed_supply_gives_the_share_the_close_would_allocate() -> None:
    # 100 × 125 / 150 = 83 rest 50 for KOP01; 50 × 125 / 150 = 41 rest 100 for KOP02:
    # the one unit left goes to the larger rest, KOP02. The price: 125 bought, Rp 630.000.
    estimates = coop_estimates(ROUND, COMMITMENTS)
    rice_01, rice_02 = estimates["KOP01"].lines[2], estimates["KOP02"].lines[2]

    assert (rice_01.standing, rice_01.share, rice_01.unit_price) == (
        Standing.OVERSUBSCRIBED, 83, 630_000,
    )  # fmt: skip
    assert rice_01.over_supply == 25
    assert rice_01.share_subtotal == 83 * 630_000 == 52_290_000
    assert rice_02.share == 42


def test_sure_plus_at_risk_is_what_was_asked_and_closing_now_bills_sure_plus_shares() -> None:
    estimate = coop_estimate(ROUND, "KOP01", COMMITMENTS)

    assert estimate.sure == 1_190_000
    assert estimate.at_risk == 2_500_000 + 100 * 630_000 == 65_500_000
    assert estimate.asked == 66_690_000
    assert estimate.if_closed_now == 1_190_000 + 52_290_000 == 53_480_000
    assert [line.item.product_code for line in estimate.risky_lines] == ["MNY2", "BRS"]
    bills = compute_outcome(ROUND, COMMITMENTS, (), ()).bills
    assert {bill.coop_code: bill.total for bill in bills} == {
        "KOP01": 53_480_000, "KOP02": 25 * 119_000 + 42 * 630_000,
    }  # fmt: skip


def test_supply_taken_exactly_to_the_cap_is_still_sure() -> None:
    exact = (make_commitment("KOP01", "BRS", 100), make_commitment("KOP02", "BRS", 25))

    rice = coop_estimate(ROUND, "KOP01", exact).lines[0]

    assert (rice.standing, rice.share, rice.over_supply) == (Standing.SURE, 100, 0)


def test_a_coop_without_an_order_has_an_empty_estimate() -> None:
    estimate = coop_estimate(ROUND, "KOP09", COMMITMENTS)

    assert estimate == Estimate(())
    assert (estimate.empty, estimate.products, estimate.sure, estimate.at_risk) == (True, 0, 0, 0)


def test_under_the_extend_policy_a_round_below_its_moq_would_be_extended_once() -> None:
    extend = replace(ROUND, moq_policy=MoqPolicy.EXTEND, extend_hours=24)

    assert coop_estimate(extend, "KOP01", COMMITMENTS).extended_until == (
        ROUND.closes_at + timedelta(hours=24)
    )
    already = replace(extend, extended=True)
    assert coop_estimate(already, "KOP01", COMMITMENTS).extended_until is None
    assert coop_estimate(ROUND, "KOP01", COMMITMENTS).extended_until is None  # drop policy


def lines_for(round_: Round, coop: str, commitments: list[Commitment]) -> list[CoopLine]:
    """The coop's lines as storage reads them: its quantity and the product's total, and
    every request of a product whose total exceeds its cap."""
    asks: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in commitments:
        if commitment.quantity > 0:
            asks[commitment.product_code].append(commitment)
    caps = {item.product_code: item.supply_cap for item in round_.items}
    lines = []
    for commitment in commitments:
        if commitment.coop_code == coop and commitment.quantity > 0:
            every = asks[commitment.product_code]
            total = sum(ask.quantity for ask in every)
            cap = caps.get(commitment.product_code)
            requests = tuple(
                AllocationRequest(ask.coop_code, ask.quantity, ask.created_at) for ask in every
            )
            over = cap is not None and total > cap
            lines.append(CoopLine(commitment.product_code, commitment.quantity, total,
                                  requests if over else ()))  # fmt: skip
    return lines


def test_the_estimate_from_the_coops_lines_is_the_estimate_from_every_commitment() -> None:
    for coop in ("KOP01", "KOP02", "KOP09"):
        lines = lines_for(ROUND, coop, list(COMMITMENTS))
        assert estimate_of(ROUND, coop, lines) == coop_estimate(ROUND, coop, COMMITMENTS)


def test_a_product_over_its_cap_without_every_request_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="every request"):
        estimate_of(ROUND, "KOP01", [CoopLine("BRS", 100, 150)])


products = st.builds(
    lambda code, moq, cap, top: make_product(
        code, moq=moq, supply_cap=cap, price_tiers=((1, 1_000), (top, 900))
    ),
    st.sampled_from(["IDM", "MNY2", "BRS"]),
    st.none() | st.integers(1, 60),
    st.none() | st.integers(0, 60),
    st.integers(2, 80),
)
orders = st.lists(
    st.builds(
        make_commitment,
        coop_code=st.sampled_from([f"KOP{n:02}" for n in range(1, 7)]),
        product_code=st.sampled_from(["IDM", "MNY2", "BRS", "GONE"]),  # GONE: not offered
        quantity=st.integers(0, 40),
        created_at=st.sampled_from([NOW + timedelta(minutes=m) for m in range(3)]),
    ),
    max_size=25,
    unique_by=lambda c: (c.coop_code, c.product_code),
)


@given(
    st.lists(products, min_size=1, max_size=3, unique_by=lambda p: p.code),
    orders,
    st.sampled_from(list(MoqPolicy)),
    st.sampled_from([f"KOP{n:02}" for n in range(1, 7)]),
)
def test_on_any_round_the_coops_estimate_equals_the_one_the_close_gives(
    offered: list[Product], commitments: list[Commitment], policy: MoqPolicy, coop: str
) -> None:
    round_ = make_round(*offered, moq_policy=policy, extend_hours=24)
    lines = lines_for(round_, coop, commitments)
    # What the estimate depends on: the commitments to the products the coop ordered (the
    # round's extension is judged on those, as the chat's reply always has).
    ordered = {line.product_code for line in lines}
    relevant = [c for c in commitments if c.product_code in ordered]

    assert estimate_of(round_, coop, lines) == coop_estimate(round_, coop, relevant)
    if policy is MoqPolicy.DROP:  # then nothing else of the round counts
        assert estimate_of(round_, coop, lines) == coop_estimate(round_, coop, commitments)


@given(
    st.integers(0, 120),
    st.lists(
        st.builds(
            AllocationRequest,
            st.sampled_from([f"KOP{n:02}" for n in range(1, 9)]),
            st.integers(1, 60),
            st.sampled_from([NOW + timedelta(minutes=m) for m in range(3)]),
        ),
        max_size=8,
        unique_by=lambda request: request.coop_code,
    ),
)
def test_one_coops_share_is_what_allocating_the_whole_supply_gives_it(
    cap: int, requests: list[AllocationRequest]
) -> None:
    shares = allocate(cap, requests)

    for coop in [f"KOP{n:02}" for n in range(1, 9)]:
        assert share_of(cap, coop, requests) == shares.get(coop, 0)
