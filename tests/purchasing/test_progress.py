"""What the catalog, /rekap and group posts show while a round is open."""

from __future__ import annotations

from purchasing.pricing import NextTier
from purchasing.progress import progress_for
from tests.support.builders import make_product, make_round

OIL = make_product(
    "MNY2",
    unit="karton",
    market_price=130_000,
    price_tiers=((1, 125_000), (50, 118_000), (100, 112_000)),
    moq=20,
)
RICE = make_product("BRS5", market_price=70_000, price_tiers=((1, 65_000), (80, 60_000)))


def test_progress_shows_the_price_reached_and_what_unlocks_the_next() -> None:
    oil, rice = progress_for(make_round(OIL, RICE), {"MNY2": 37})
    assert oil.product_code == "MNY2"
    assert (oil.total, oil.unit_price) == (37, 125_000)
    assert oil.next_tier == NextTier(units_more=13, unit_price=118_000, min_total=50)
    assert oil.moq_reached and oil.short_of_moq == 0
    assert oil.saving_per_unit == 5_000
    assert (rice.total, rice.unit_price, rice.moq, rice.moq_reached) == (0, 65_000, None, True)


def test_a_product_short_of_its_moq_says_how_many_units_are_missing() -> None:
    [oil] = progress_for(make_round(OIL), {"MNY2": 12})
    assert (oil.moq, oil.short_of_moq, oil.moq_reached) == (20, 8, False)


def test_at_the_supply_cap_the_price_is_the_one_the_cap_reaches() -> None:
    capped = make_product(
        "MNY2", price_tiers=((1, 125_000), (50, 118_000), (100, 112_000)), supply_cap=60
    )
    [oil] = progress_for(make_round(capped), {"MNY2": 150})
    assert oil.cap_reached and oil.supply_cap == 60
    assert oil.unit_price == 118_000
    assert oil.next_tier is None  # 100 units can never be bought


def test_below_the_cap_it_is_not_reached() -> None:
    capped = make_product("MNY2", supply_cap=60)
    [oil] = progress_for(make_round(capped), {"MNY2": 59})
    assert not oil.cap_reached
