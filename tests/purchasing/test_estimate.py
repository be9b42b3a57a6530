"""An open round's estimate for a coop: sure, below the MOQ, or over-subscribed supply."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from purchasing.estimate import Estimate, Standing, coop_estimate, coop_estimates
from purchasing.model import MoqPolicy
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
