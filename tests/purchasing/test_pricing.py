"""Volume price tiers: validation, the price a total reaches, what unlocks the next tier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purchasing.errors import InvalidTiers
from purchasing.model import PriceTier
from purchasing.pricing import NextTier, next_tier, unit_price_for, validate_tiers
from tests.support.builders import tiers

SUGAR = tiers((1, 125_000), (50, 118_000), (100, 112_000))


def test_tiers_typed_in_any_order_come_back_sorted() -> None:
    shuffled = (SUGAR[2], SUGAR[0], SUGAR[1])
    assert validate_tiers(shuffled) == SUGAR


@pytest.mark.parametrize(
    ("bad", "reason", "min_total"),
    [
        ((), "empty", 0),
        (tiers((0, 100)), "first_below_one", 0),
        (tiers((1, 100), (10, 0)), "price_not_positive", 10),
        (tiers((1, 100), (10, 90), (10, 80)), "duplicate_min_total", 10),
        (tiers((1, 100), (10, 110)), "price_rises", 10),
    ],
)
def test_a_broken_price_list_is_refused_with_the_reason(
    bad: tuple[PriceTier, ...], reason: str, min_total: int
) -> None:
    with pytest.raises(InvalidTiers) as caught:
        validate_tiers(bad)
    assert caught.value.params == {"reason": reason, "min_total": min_total}


def test_equal_prices_on_successive_tiers_are_allowed() -> None:
    assert validate_tiers(tiers((1, 100), (10, 100))) == tiers((1, 100), (10, 100))


@pytest.mark.parametrize(
    ("total", "price"),
    [(0, 125_000), (1, 125_000), (49, 125_000), (50, 118_000), (99, 118_000), (500, 112_000)],
)
def test_the_total_ordered_decides_the_price(total: int, price: int) -> None:
    assert unit_price_for(SUGAR, total) == price


def test_below_the_first_tier_its_price_still_applies() -> None:
    assert unit_price_for(tiers((10, 90_000), (20, 80_000)), 3) == 90_000


def test_thirteen_more_units_unlock_the_next_price() -> None:
    assert next_tier(SUGAR, 37) == NextTier(units_more=13, unit_price=118_000, min_total=50)


def test_reaching_a_tier_exactly_points_at_the_one_after() -> None:
    assert next_tier(SUGAR, 50) == NextTier(units_more=50, unit_price=112_000, min_total=100)


def test_at_the_best_price_there_is_no_next_tier() -> None:
    assert next_tier(SUGAR, 100) is None


def test_a_tier_with_the_same_price_unlocks_nothing() -> None:
    flat = tiers((1, 100), (10, 100), (20, 90))
    assert next_tier(flat, 5) == NextTier(units_more=15, unit_price=90, min_total=20)


@st.composite
def valid_tiers(draw: st.DrawFn) -> tuple[PriceTier, ...]:
    starts = draw(st.lists(st.integers(2, 10_000), unique=True, max_size=6))
    prices = draw(
        st.lists(st.integers(1, 2_000_000), min_size=len(starts) + 1, max_size=len(starts) + 1)
    )
    mins = [draw(st.integers(1, 5)), *sorted(s + 5 for s in starts)]
    return tuple(PriceTier(m, p) for m, p in zip(mins, sorted(prices, reverse=True), strict=True))


@given(valid_tiers(), st.integers(0, 20_000), st.integers(0, 20_000))
def test_the_unit_price_never_rises_as_the_total_rises(
    price_list: tuple[PriceTier, ...], a: int, b: int
) -> None:
    validate_tiers(price_list)
    low, high = sorted((a, b))
    assert unit_price_for(price_list, high) <= unit_price_for(price_list, low)


@given(valid_tiers(), st.integers(0, 20_000))
def test_ordering_the_units_more_really_reaches_the_promised_price(
    price_list: tuple[PriceTier, ...], total: int
) -> None:
    following = next_tier(price_list, total)
    if following is None:
        assert unit_price_for(price_list, total) == price_list[-1].unit_price
    else:
        reached = unit_price_for(price_list, total + following.units_more)
        assert reached == following.unit_price < unit_price_for(price_list, total)
        assert unit_price_for(price_list, total + following.units_more - 1) > reached
