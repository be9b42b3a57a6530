"""The round's units ordered per product (`units_ordered`, kept by triggers on every change
of a commitment) always equal the sum of its commitments, whatever treasurers do: order,
add, take away, remove, and order again; through a chat's one-trip order or the long way."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purchasing.model import Round
from storage.commitment_reads import product_standing, totals_for_round
from storage.commitments import Audit
from storage.database import Database
from tests.support.storage_builders import seed_open_round
from tests.support.use_case_steps import acting_at
from usecases.ordering import set_quantities

AUDIT = Audit("telegram:1001", "telegram", "55")
QUANTITIES = st.one_of(st.just(0), st.integers(-8, 45))  # 0 removes a line
ORDERS = st.lists(
    st.tuples(
        st.sampled_from(["KOP01", "KOP02", "KOP03"]),
        st.lists(st.tuples(st.sampled_from(["GLP1", "MIE1", "BRS5"]), QUANTITIES)),
        st.booleans(),  # relative: "+5" taps
        st.booleans(),  # with_lines: a chat's reply (the one-trip order) or the long way
    ),
    max_size=12,
)


@pytest.fixture
async def round_(db: Database) -> Round:
    return await seed_open_round(db)


async def sums_of_commitments(db: Database, round_id: int) -> dict[str, int]:
    rows = await db.fetch_all(
        "SELECT product_code, SUM(quantity) FROM commitments WHERE round_id = ? "
        "GROUP BY product_code",
        (round_id,),
    )
    return {row[0]: int(row[1]) for row in rows}


async def coops_per_product(db: Database, round_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """How many coops ordered each product: counted, and as `units_ordered` keeps it."""
    counted = await db.fetch_all(
        "SELECT product_code, COUNT(*) FROM commitments WHERE round_id = ? GROUP BY product_code",
        (round_id,),
    )
    kept = await db.fetch_all(
        "SELECT product_code, coops FROM units_ordered WHERE round_id = ? AND coops != 0",
        (round_id,),
    )
    return {row[0]: row[1] for row in counted}, {row[0]: row[1] for row in kept}


@settings(
    max_examples=40,
    deadline=None,
    # One database for all examples on purpose: each example goes on from where the last
    # left the round, as a round's orders do.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(orders=ORDERS)
async def test_the_rounds_totals_follow_every_order_of_every_coop(
    db: Database, round_: Round, orders: list[tuple[str, list[tuple[str, int]], bool, bool]]
) -> None:
    for coop, lines, relative, with_lines in orders:
        await set_quantities(
            acting_at(db), round_.id, coop, lines, AUDIT, relative=relative, with_lines=with_lines
        )

    sums = await sums_of_commitments(db, round_.id)
    assert await totals_for_round(db, round_.id) == sums
    counted, kept = await coops_per_product(db, round_.id)
    assert kept == counted
    for code in ("GLP1", "MIE1", "BRS5"):
        assert (await product_standing(db, round_.id, code, "KOP01"))[0] == sums.get(code, 0)


async def test_a_product_whose_orders_are_all_removed_counts_nothing(
    db: Database, round_: Round
) -> None:
    ctx = acting_at(db)
    await set_quantities(ctx, round_.id, "KOP01", [("GLP1", 12)], AUDIT, with_lines=True)
    await set_quantities(ctx, round_.id, "KOP02", [("GLP1", 3)], AUDIT)

    await set_quantities(ctx, round_.id, "KOP01", [("GLP1", 0)], AUDIT, with_lines=True)
    assert await totals_for_round(db, round_.id) == {"GLP1": 3}
    await set_quantities(ctx, round_.id, "KOP02", [("GLP1", -3)], AUDIT, relative=True)

    assert await totals_for_round(db, round_.id) == {}
    assert await coops_per_product(db, round_.id) == ({}, {})
    assert await product_standing(db, round_.id, "GLP1", "KOP02") == (0, 0)
