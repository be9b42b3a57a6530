"""A treasurer's estimate reads a few rows, not every coop's order of the same products, and
says exactly what reading every commitment of the round would say: also when the order's
own transaction reads them right after writing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from purchasing.allocation import AllocationRequest, allocate
from purchasing.estimate import OTHER_COOPS, coop_estimate, estimate_of
from purchasing.model import Round
from storage.commitment_reads import (
    COOP_LINES,
    commitments_for_round,
    commitments_sharing_products,
    coop_lines,
)
from storage.commitments import Audit
from storage.database import Database
from tests.support.builders import NOW, make_coop, make_product
from tests.support.storage_builders import PRODUCTS, seed_open_round
from tests.support.use_case_steps import acting_at, import_catalog, set_commitment
from usecases.ordering import set_quantities

# BRS5: supply cap 30, MOQ 20. GLP1 plain. MIE1 reaches its 100-karton tier together.
# SBN1 (MOQ 50) stays short of its minimum.
SOAP = make_product("SBN1", name="Sabun cuci", unit="dus", moq=50)
ORDERS = {
    "KOP01": {"BRS5": 12, "GLP1": 3, "MIE1": 40, "SBN1": 5},
    "KOP02": {"BRS5": 15, "MIE1": 70},
    "KOP03": {"BRS5": 9, "GLP1": 1, "SBN1": 2},
    "KOP04": {"MIE1": 1},
}


@pytest.fixture
async def round_(db: Database) -> Round:
    opened = await seed_open_round(db, ("GLP1", "MIE1", "BRS5", "SBN1"), products=(*PRODUCTS, SOAP))
    for n, (coop, lines) in enumerate(ORDERS.items()):
        for product, quantity in lines.items():
            await set_commitment(
                db, round_id=opened.id, coop_code=coop, product_code=product,
                quantity=quantity, actor="telegram:1", via="telegram",
                now=NOW + timedelta(minutes=n),
            )  # fmt: skip
    return opened


@pytest.mark.parametrize("coop", sorted(ORDERS))
async def test_each_coops_estimate_from_a_few_rows_equals_the_one_from_the_whole_round(
    db: Database, round_: Round, coop: str
) -> None:
    every = await commitments_for_round(db, round_.id)
    read = await commitments_sharing_products(db, round_.id, coop)

    assert coop_estimate(round_, coop, read) == coop_estimate(round_, coop, every)
    assert coop_estimate(round_, coop, read).lines  # it ordered something


async def test_only_an_over_subscribed_product_brings_every_coops_line(
    db: Database, round_: Round
) -> None:
    read = await commitments_sharing_products(db, round_.id, "KOP01")

    lines = {(c.coop_code, c.product_code): c.quantity for c in read}
    # BRS5: 36 asked for a supply of 30, so each coop's share counts: every line is read.
    assert {k: q for k, q in lines.items() if k[1] == "BRS5"} == {
        ("KOP01", "BRS5"): 12, ("KOP02", "BRS5"): 15, ("KOP03", "BRS5"): 9,
    }  # fmt: skip
    # Elsewhere the others' units come as one line: only the total matters there.
    assert lines[(OTHER_COOPS, "MIE1")] == 71 and lines[(OTHER_COOPS, "SBN1")] == 2
    assert lines[(OTHER_COOPS, "GLP1")] == 1
    assert len(read) == 4 + 3 + 2  # its own 4, the 2 other BRS5 lines, 3 totals


@pytest.mark.parametrize("coop", sorted(ORDERS))
async def test_each_coops_estimate_from_its_own_lines_equals_the_one_from_the_whole_round(
    db: Database, round_: Round, coop: str
) -> None:
    every = await commitments_for_round(db, round_.id)

    lines = await coop_lines(db, round_.id, coop)

    assert estimate_of(round_, coop, lines) == coop_estimate(round_, coop, every)
    # BRS5 is over its cap of 30: its line comes with the coop's share, counted by SQLite
    # over every coop's line, and no coop's line is read into Python.
    over = {line.product_code for line in lines if line.share is not None}
    assert over == ({"BRS5"} if "BRS5" in ORDERS[coop] else set())
    assert not any(line.requests for line in lines)


async def test_an_order_reads_the_estimate_it_changed_in_its_own_transaction(
    db: Database, round_: Round
) -> None:
    audit = Audit("telegram:1", "telegram")

    done = await set_quantities(
        acting_at(db, NOW), round_.id, "KOP04", [("BRS5", 4), ("MIE1", 0)], audit,
        with_lines=True,
    )  # fmt: skip

    assert done.lines == await coop_lines(db, round_.id, "KOP04")
    [rice] = done.lines  # its noodles removed, 4 sacks of rice more: 40 asked of 30
    assert (rice.product_code, rice.quantity, rice.total) == ("BRS5", 4, 40)
    assert rice.share == allocate(30, await _requests(db, round_.id, "BRS5"))["KOP04"]
    every = await commitments_for_round(db, round_.id)
    assert estimate_of(round_, "KOP04", done.lines) == coop_estimate(round_, "KOP04", every)


async def test_the_estimates_read_looks_each_total_up_and_never_walks_the_round(
    db: Database, round_: Round
) -> None:
    plan = [row[3] for row in await db.fetch_all("EXPLAIN QUERY PLAN " + COOP_LINES, (1, "K", 1))]

    assert any("SEARCH every USING PRIMARY KEY (round_id=? AND product_code=?)" in step
               for step in plan)  # fmt: skip  # the total, kept in units_ordered

    # Over a supply cap, every coop's line of the product, from its index.
    assert any("COVERING INDEX commitments_by_product (round_id=? AND product_code=?)" in step
               for step in plan)  # fmt: skip
    assert any("(round_id=? AND coop_code=?)" in step for step in plan)  # the coop's own lines
    assert not any(step.endswith("(round_id=?)") or step.startswith("SCAN every") for step in plan)


async def _requests(db: Database, round_id: int, product: str) -> list[AllocationRequest]:
    every = await commitments_for_round(db, round_id)
    return [
        AllocationRequest(c.coop_code, c.quantity, c.created_at)
        for c in every
        if c.product_code == product
    ]


async def test_every_coops_share_counted_by_sqlite_is_what_allocating_the_round_gives(
    db: Database,
) -> None:
    """Forty coops ask for rice over its cap of 30, many at the same minute with the same
    remainder: the order of the left-over units (remainder, then time, then coop code)
    decides, and SQLite's count must agree with `allocate` for every coop."""
    opened = await seed_open_round(db, ("BRS5",))
    coops = [make_coop(f"KOP{n:02d}") for n in range(10, 50)]
    await import_catalog(db, coops=coops)
    for n, coop in enumerate(coops):
        await set_commitment(
            db, round_id=opened.id, coop_code=coop.code, product_code="BRS5",
            quantity=1 + (n * 7) % 5, actor="telegram:1", via="telegram",
            now=NOW + timedelta(minutes=(n * 3) % 4),
        )  # fmt: skip
    shares = allocate(30, await _requests(db, opened.id, "BRS5"))

    for coop in coops:
        [line] = await coop_lines(db, opened.id, coop.code)
        assert line.share == shares[coop.code], coop.code
    assert sum(shares.values()) == 30
