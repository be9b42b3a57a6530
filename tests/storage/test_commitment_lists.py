"""A pasted order list is set in one transaction: refused lines change nothing, the rest count."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.errors import QuantityInvalid, UnknownProduct
from purchasing.model import CommitmentChange, Round
from storage.commitment_reads import OrderedProduct, audit_log
from storage.database import Database
from storage.errors import UnknownRound
from storage.rounds import round_with_totals
from tests.support.builders import NOW
from tests.support.storage_builders import database_at, seed_open_round
from tests.support.use_case_steps import extend_round, set_commitment, set_commitments

LATER = NOW + timedelta(hours=1)


@pytest.fixture
async def round_(db: Database) -> Round:
    return await seed_open_round(db)


async def _order(db: Database, round_: Round, coop: str, *lines: tuple[str, int]) -> object:
    return await set_commitments(
        db, round_id=round_.id, coop_code=coop, quantities=lines, actor="telegram:1001",
        via="telegram:1001", message_id="7", now=LATER,
    )  # fmt: skip


async def test_a_pasted_list_sets_every_good_line_and_refuses_the_others(
    db: Database, round_: Round
) -> None:
    await _order(db, round_, "KOP02", ("GLP1", 4))

    applied = await set_commitments(
        db, round_id=round_.id, coop_code="KOP01",
        quantities=[("GLP1", 3), ("SBN1", 2), ("MIE1", -1), ("MIE1", 5), ("GLP1", 3)],
        actor="telegram:1001", via="telegram:1001", message_id="8", now=LATER,
    )  # fmt: skip

    good, unknown, invalid, mie, same = applied.results
    assert isinstance(good, CommitmentChange) and (good.old, good.new) == (0, 3)
    assert isinstance(unknown, UnknownProduct)  # no such product in the catalog either
    assert isinstance(invalid, QuantityInvalid)
    assert isinstance(mie, CommitmentChange) and (mie.old, mie.new) == (0, 5)
    assert isinstance(same, CommitmentChange) and not same.changed
    assert applied.ordered == [OrderedProduct("GLP1", 3, 7), OrderedProduct("MIE1", 5, 5)]
    audited = [(a.coop_code, a.product_code, a.new_quantity) for a in await audit_log(db, 1)]
    assert audited == [("KOP02", "GLP1", 4), ("KOP01", "GLP1", 3), ("KOP01", "MIE1", 5)]


async def test_a_list_for_an_unknown_round_changes_nothing(db: Database, round_: Round) -> None:
    with pytest.raises(UnknownRound):
        await set_commitments(
            db, round_id=999, coop_code="KOP01", quantities=[("GLP1", 1)],
            actor="telegram:1001", via="telegram:1001", now=LATER,
        )  # fmt: skip

    assert await audit_log(db, round_.id) == []


async def test_a_deadline_extended_by_another_process_is_seen_by_the_next_order(
    tmp_path: Path, db: Database, round_: Round
) -> None:
    after_deadline = round_.closes_at + timedelta(minutes=5)
    await _order(db, round_, "KOP01", ("GLP1", 1))  # this process remembers the round
    async with database_at(tmp_path) as other_process:
        await extend_round(other_process, round_.id, round_.closes_at + timedelta(hours=1))

    change = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=2,
        actor="telegram:1001", via="telegram:1001", now=after_deadline,
    )  # fmt: skip

    assert (change.old, change.new) == (1, 2)


async def test_the_round_and_its_totals_are_read_together(db: Database, round_: Round) -> None:
    assert await round_with_totals(db, round_.id) == (round_, {})
    await _order(db, round_, "KOP01", ("GLP1", 3), ("MIE1", 2))
    await _order(db, round_, "KOP02", ("GLP1", 4))

    found, totals = await round_with_totals(db, round_.id)

    assert found == round_ and totals == {"GLP1": 7, "MIE1": 2}
    assert await round_with_totals(db, 999) == (None, {})
