"""Setting commitments: validated, audited, refused after the deadline, never lost."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.errors import DeadlinePassed, OverCoopMaximum, UnknownCoop, UnknownProduct
from purchasing.model import AuditEntry, Round
from purchasing.outcome import compute_outcome
from storage.commitment_reads import (
    audit_log,
    commitments_for_coop,
    commitments_for_round,
    coops_with_orders,
    totals_for_round,
)
from storage.database import Database, open_database
from storage.errors import UnknownRound
from tests.support.builders import NOW, make_product
from tests.support.storage_builders import database_at, place_order, seed_open_round
from tests.support.use_case_steps import set_commitment

LATER = NOW + timedelta(hours=1)


@pytest.fixture
async def round_(db: Database) -> Round:
    return await seed_open_round(db)


async def _set(
    db: Database, round_: Round, coop: str, product: str, quantity: int, **kw: object
) -> int:
    change = await set_commitment(
        db,
        round_id=round_.id,
        coop_code=coop,
        product_code=product,
        quantity=quantity,
        actor=str(kw.get("actor", "telegram:1001")),
        via="telegram",
        message_id=str(kw.get("message_id", "1")),
        now=LATER,
    )
    return change.old


async def test_a_change_tells_the_products_round_total_before_and_after_it(
    db: Database, round_: Round
) -> None:
    await _set(db, round_, "KOP01", "GLP1", 10)
    await _set(db, round_, "KOP02", "MIE1", 3)
    change = await set_commitment(
        db, round_id=round_.id, coop_code="KOP02", product_code="GLP1", quantity=5,
        actor="telegram:1002", via="telegram", now=LATER,
    )  # fmt: skip
    lowered = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=2,
        actor="telegram:1001", via="telegram", now=LATER,
    )  # fmt: skip

    assert (change.total_before, change.total) == (10, 15)
    assert (lowered.total_before, lowered.total) == (15, 7)
    assert (await totals_for_round(db, round_.id))["GLP1"] == 7


async def test_a_treasurer_orders_and_changes_and_every_change_is_audited(
    db: Database, round_: Round
) -> None:
    first = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=10,
        actor="telegram:1001", via="telegram", message_id="501", now=LATER,
    )  # fmt: skip
    second = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=4,
        actor="whatsapp:6281", via="whatsapp", message_id="wamid.9", now=LATER,
    )  # fmt: skip

    assert (first.old, first.new, first.item.product_code) == (0, 10, "GLP1")
    assert (second.old, second.new) == (10, 4)
    [stored] = await commitments_for_coop(db, round_.id, "KOP01")
    assert (stored.quantity, stored.actor, stored.created_at) == (4, "whatsapp:6281", LATER)
    assert [
        (a.old_quantity, a.new_quantity, a.actor, a.via, a.message_id)
        for a in await audit_log(db, round_.id)
    ] == [
        (0, 10, "telegram:1001", "telegram", "501"),
        (10, 4, "whatsapp:6281", "whatsapp", "wamid.9"),
    ]


async def test_setting_the_same_quantity_again_adds_no_audit_row(
    db: Database, round_: Round
) -> None:
    await _set(db, round_, "KOP01", "GLP1", 3)
    change = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=3,
        actor="telegram:1001", via="telegram", message_id="2", now=LATER,
    )  # fmt: skip

    assert not change.changed
    assert len(await audit_log(db, round_.id)) == 1


async def test_ordering_zero_removes_the_commitment_but_keeps_the_history(
    db: Database, round_: Round
) -> None:
    await _set(db, round_, "KOP01", "GLP1", 3)
    await _set(db, round_, "KOP01", "GLP1", 0)

    assert await commitments_for_round(db, round_.id) == []
    assert await coops_with_orders(db, round_.id) == set()
    assert [(a.old_quantity, a.new_quantity) for a in await audit_log(db, round_.id)] == [
        (0, 3),
        (3, 0),
    ]


async def test_a_change_keeps_the_coops_place_in_a_tie_but_removing_the_order_gives_it_up(
    tmp_path: Path,
) -> None:
    """Sugar for two, three coops asking one sack each: the ties go to the orders placed first
    (docs/rules.md). KOP01 ordered first and changed its order: it keeps its place. KOP02
    ordered second, removed its order and ordered again last: it joins at the back."""
    async with database_at(tmp_path) as db:
        round_ = await seed_open_round(db, ("GLP1",), products=[make_product(supply_cap=2)])
        for minutes, coop, quantity in [
            (0, "KOP01", 2), (1, "KOP02", 1), (2, "KOP03", 1), (3, "KOP01", 1),
            (4, "KOP02", 0), (5, "KOP02", 1),
        ]:  # fmt: skip
            await place_order(
                db, round_, coop, "GLP1", quantity, now=NOW + timedelta(minutes=minutes)
            )
        commitments = await commitments_for_round(db, round_.id)

    placed = {c.coop_code: c.created_at - NOW for c in commitments}
    assert placed == {
        "KOP01": timedelta(minutes=0), "KOP02": timedelta(minutes=5),
        "KOP03": timedelta(minutes=2),
    }  # fmt: skip
    [bill_1, bill_2, bill_3] = compute_outcome(round_, commitments, (), ()).bills
    assert [b.lines[0].allocated for b in (bill_1, bill_2, bill_3)] == [1, 0, 1]


async def test_totals_and_participation_follow_the_orders(db: Database, round_: Round) -> None:
    await _set(db, round_, "KOP01", "GLP1", 3)
    await _set(db, round_, "KOP02", "GLP1", 4)
    await _set(db, round_, "KOP02", "MIE1", 10)

    assert await totals_for_round(db, round_.id) == {"GLP1": 7, "MIE1": 10}
    assert await coops_with_orders(db, round_.id) == {"KOP01", "KOP02"}
    assert [c.product_code for c in await commitments_for_coop(db, round_.id, "KOP02")] == [
        "GLP1",
        "MIE1",
    ]


async def test_a_change_after_the_deadline_is_refused_and_changes_nothing(
    db: Database, round_: Round
) -> None:
    await _set(db, round_, "KOP01", "GLP1", 3)

    with pytest.raises(DeadlinePassed):
        await set_commitment(
            db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=9,
            actor="telegram:1001", via="telegram", message_id="3", now=round_.closes_at,
        )  # fmt: skip

    assert [c.quantity for c in await commitments_for_round(db, round_.id)] == [3]
    assert len(await audit_log(db, round_.id)) == 1


@pytest.mark.parametrize(
    ("coop", "product", "quantity", "error"),
    [
        ("KOP99", "GLP1", 1, UnknownCoop),
        ("KOP01", "SBN1", 1, UnknownProduct),
    ],
)
async def test_bad_orders_are_refused_with_a_typed_error(
    db: Database, round_: Round, coop: str, product: str, quantity: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await _set(db, round_, coop, product, quantity)

    assert await commitments_for_round(db, round_.id) == []
    assert await audit_log(db, round_.id) == []


async def test_more_than_the_per_coop_maximum_is_refused(tmp_path: Path) -> None:
    async with database_at(tmp_path, "max.db") as db:
        capped = await seed_open_round(
            db, ["GLP1"], products=[make_product("GLP1", max_per_coop=5)]
        )

        with pytest.raises(OverCoopMaximum):
            await _set(db, capped, "KOP01", "GLP1", 6)
        await _set(db, capped, "KOP01", "GLP1", 5)


async def test_an_unknown_round_is_refused(db: Database, round_: Round) -> None:
    with pytest.raises(UnknownRound):
        await set_commitment(
            db, round_id=999, coop_code="KOP01", product_code="GLP1", quantity=1,
            actor="telegram:1001", via="telegram", now=LATER,
        )  # fmt: skip


async def test_two_hundred_concurrent_changes_on_one_connection_lose_no_update(
    db: Database, round_: Round
) -> None:
    await asyncio.gather(*(_set(db, round_, "KOP01", "GLP1", n) for n in range(1, 201)))

    _assert_unbroken_chain(await audit_log(db, round_.id), 200)
    [final] = await commitments_for_round(db, round_.id)
    assert final.quantity == (await audit_log(db, round_.id))[-1].new_quantity


async def test_two_processes_changing_the_same_order_lose_no_update(
    db: Database, round_: Round
) -> None:
    async with open_database(db.path) as other:
        writes = [
            _set(db if n % 2 else other, round_, "KOP01", "GLP1", n, actor=f"t:{n}")
            for n in range(1, 101)
        ] + [_set(other, round_, f"KOP0{n % 5 + 1}", "MIE1", 1) for n in range(5)]
        await asyncio.gather(*writes)

    sugar = [entry for entry in await audit_log(db, round_.id) if entry.product_code == "GLP1"]
    _assert_unbroken_chain(sugar, 100)
    assert (await totals_for_round(db, round_.id))["MIE1"] == 5


def _assert_unbroken_chain(entries: list[AuditEntry], expected: int) -> None:
    assert len(entries) == expected
    assert entries[0].old_quantity == 0
    for before, after in itertools.pairwise(entries):
        assert after.old_quantity == before.new_quantity
