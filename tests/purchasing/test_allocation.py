"""Sharing a supply cap: pro rata, whole units, remainders by a stated rule."""

from __future__ import annotations

from datetime import timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purchasing.allocation import AllocationRequest, allocate
from tests.support.builders import NOW


def ask(coop: str, quantity: int, minutes: int = 0) -> AllocationRequest:
    return AllocationRequest(coop, quantity, NOW + timedelta(minutes=minutes))


def test_three_coops_ask_120_sacks_of_sugar_and_only_100_exist() -> None:
    # Exact shares 50, 41.67 and 8.33: floors 50 + 41 + 8 = 99; the one unit left goes to
    # KOP02, whose fraction (0.67) is the largest.
    shares = allocate(100, [ask("KOP01", 60), ask("KOP02", 50), ask("KOP03", 10)])
    assert shares == {"KOP01": 50, "KOP02": 42, "KOP03": 8}
    assert sum(shares.values()) == 100


def test_equal_fractions_go_to_whoever_ordered_first() -> None:
    shares = allocate(2, [ask("KOP01", 1, minutes=5), ask("KOP02", 1), ask("KOP03", 1, 9)])
    assert shares == {"KOP01": 1, "KOP02": 1, "KOP03": 0}


def test_same_fraction_and_same_time_go_by_coop_code() -> None:
    shares = allocate(1, [ask("KOP09", 3), ask("KOP02", 3), ask("KOP05", 3)])
    assert shares == {"KOP02": 1, "KOP05": 0, "KOP09": 0}


def test_without_a_cap_everyone_gets_what_they_asked() -> None:
    assert allocate(None, [ask("B", 7), ask("A", 5)]) == {"A": 5, "B": 7}


def test_with_enough_supply_everyone_gets_what_they_asked() -> None:
    assert allocate(12, [ask("A", 5), ask("B", 7)]) == {"A": 5, "B": 7}


def test_a_cap_of_zero_gives_nothing() -> None:
    assert allocate(0, [ask("A", 5), ask("B", 7)]) == {"A": 0, "B": 0}


@pytest.mark.parametrize(
    "requests", [[ask("A", -1)], [ask("A", 1), ask("A", 2)]], ids=["negative", "twice"]
)
def test_impossible_requests_are_a_programming_error(requests: list[AllocationRequest]) -> None:
    with pytest.raises(ValueError):
        allocate(10, requests)


requests_lists = st.lists(
    st.builds(
        AllocationRequest,
        coop_code=st.text("ABCDEFGHIJ", min_size=1, max_size=3),
        quantity=st.integers(0, 100_000),
        created_at=st.sampled_from([NOW + timedelta(seconds=s) for s in range(4)]),
    ),
    max_size=30,
    unique_by=lambda request: request.coop_code,
)
caps = st.none() | st.integers(0, 200_000)


@given(caps, requests_lists)
def test_nobody_gets_more_than_asked_and_the_cap_is_used_up(
    cap: int | None, requests: list[AllocationRequest]
) -> None:
    shares = allocate(cap, requests)
    total = sum(request.quantity for request in requests)
    assert sum(shares.values()) == (total if cap is None else min(cap, total))
    for request in requests:
        assert 0 <= shares[request.coop_code] <= request.quantity
    assert list(shares) == sorted(shares)


@given(caps, requests_lists, st.randoms(use_true_random=False))
def test_the_order_requests_arrive_in_does_not_change_the_result(
    cap: int | None, requests: list[AllocationRequest], random: Random
) -> None:
    shuffled = list(requests)
    random.shuffle(shuffled)
    assert allocate(cap, shuffled) == allocate(cap, requests) == allocate(cap, requests)


@given(st.integers(1, 1_000), requests_lists)
def test_nobody_is_more_than_one_unit_from_their_exact_share(
    cap: int, requests: list[AllocationRequest]
) -> None:
    total = sum(request.quantity for request in requests)
    shares = allocate(cap, requests)
    if total > cap:
        for request in requests:
            exact_floor = request.quantity * cap // total
            assert shares[request.coop_code] - exact_floor in (0, 1)
