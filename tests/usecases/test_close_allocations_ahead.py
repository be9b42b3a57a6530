"""A close writes its commitments' allocations before its own transaction, in short ones of
their own while the round is still open (so the bot's writes do not wait on 300,000 rows),
and the bills read back afterwards are the bills the close computed: however many parts
they were written in, when an order arrives after they were written, and when an operator
rebuilds the database file (VACUUM) while the round closes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

import usecases.rounds
from purchasing.model import MoqPolicy
from purchasing.outcome import RoundOutcome
from storage.database import Database
from storage.round_results import StagedOutcome, allocate, stage_outcome, stored_bill
from storage.rounds import get_round
from tests.support.builders import NOW
from tests.support.storage_builders import place_order, seed_open_round
from tests.support.use_case_steps import close_round

DEADLINE = NOW + timedelta(days=2)
ORDERS = {  # GLP1 and BRS5 cut by their supply caps, MIE1 as ordered
    "KOP01": {"BRS5": 20, "GLP1": 30, "MIE1": 4},
    "KOP02": {"BRS5": 15, "MIE1": 4},
    "KOP03": {"GLP1": 2, "MIE1": 1},
    "KOP04": {"GLP1": 7},
}


async def _order_all(db: Database) -> None:
    round_ = await seed_open_round(db, closes_at=DEADLINE)
    for coop, lines in ORDERS.items():
        for product, quantity in lines.items():
            await place_order(db, round_, coop, product, quantity)


async def test_allocations_written_ahead_in_many_parts_make_the_bills_the_close_computed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _order_all(db)
    parts: list[int] = []

    async def counted(conn: Database, staged: StagedOutcome, rows: object) -> int:
        written = await allocate(conn, staged, rows)  # type: ignore[arg-type]
        parts.append(written)
        return written

    monkeypatch.setattr(usecases.rounds, "ALLOCATIONS_PER_TRANSACTION", 2)
    monkeypatch.setattr(usecases.rounds, "allocate", counted)
    outcome = await close_round(db, 1, DEADLINE)

    closed = await get_round(db, 1)
    assert outcome is not None and closed is not None
    assert parts == [2, 2, 2, 2]  # all 8 lines, once each, two rowids at a time
    for bill in outcome.bills:
        stored = await stored_bill(db, closed, bill.coop_code)
        assert stored is not None and stored.bill == bill


async def test_an_order_that_comes_after_the_allocations_were_written_is_on_its_bill(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _order_all(db)
    round_ = await get_round(db, 1)
    assert round_ is not None
    ahead = usecases.rounds._allocate_ahead
    later = DEADLINE - timedelta(seconds=1)  # judged just before the deadline

    async def then_orders(*args: object, **kwargs: object) -> bool:
        written = await ahead(*args, **kwargs)  # type: ignore[arg-type]
        await place_order(db, round_, "KOP01", "MIE1", 9, now=later)  # changed
        await place_order(db, round_, "KOP05", "MIE1", 2, now=later)  # new
        return written

    monkeypatch.setattr(usecases.rounds, "_allocate_ahead", then_orders)
    outcome = await close_round(db, 1, DEADLINE)

    closed = await get_round(db, 1)
    assert outcome is not None and closed is not None
    bills = {bill.coop_code: bill for bill in outcome.bills}
    assert {line.product_code: line.asked for line in bills["KOP01"].lines}["MIE1"] == 9
    assert [(line.asked, line.allocated) for line in bills["KOP05"].lines] == [(2, 2)]
    for bill in outcome.bills:
        stored = await stored_bill(db, closed, bill.coop_code)
        assert stored is not None and stored.bill == bill


async def test_a_vacuum_while_the_round_closes_has_every_allocation_written_again(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The close found its rows by rowid before writing their allocations there; then the
    operator ran VACUUM, which may renumber the rowids of a table without an INTEGER PRIMARY
    KEY. The SQLite here keeps them, so the rows are moved first, as an older one may move
    them; the VACUUM raises the schema version, which the close's transaction checks."""
    await _order_all(db)

    async def after_a_vacuum(conn: Database, outcome: RoundOutcome) -> StagedOutcome:
        await db.execute("UPDATE commitments SET rowid = rowid + 100")  # renumbered
        await db.execute("VACUUM")
        return await stage_outcome(conn, outcome)

    monkeypatch.setattr(usecases.rounds, "stage_outcome", after_a_vacuum)
    with caplog.at_level(logging.INFO, logger="usecases.rounds"):
        outcome = await close_round(db, 1, DEADLINE)

    closed = await get_round(db, 1)
    assert outcome is not None and closed is not None
    assert "rebuilt while it closed" in caplog.text
    for bill in outcome.bills:
        stored = await stored_bill(db, closed, bill.coop_code)
        assert stored is not None and stored.bill == bill


async def test_without_a_vacuum_the_close_keeps_the_allocations_it_wrote_ahead(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await _order_all(db)

    with caplog.at_level(logging.INFO, logger="usecases.rounds"):
        outcome = await close_round(db, 1, DEADLINE)

    assert outcome is not None and "rebuilt" not in caplog.text


async def test_a_round_about_to_get_its_moq_extension_gets_no_allocations_ahead(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = await seed_open_round(db, moq_policy=MoqPolicy.EXTEND, extend_hours=24)
    await place_order(db, round_, "KOP01", "BRS5", 5)  # short of its MOQ
    await place_order(db, round_, "KOP02", "GLP1", 3)
    written: list[object] = []
    monkeypatch.setattr(usecases.rounds, "allocate", _recording(written))

    outcome = await close_round(db, round_.id, round_.closes_at)

    assert outcome is None and written == []
    rows = await db.fetch_all("SELECT allocated FROM commitments WHERE round_id = ?", (1,))
    assert [row["allocated"] for row in rows] == [None, None]


def _recording(calls: list[object]) -> Callable[..., Awaitable[int]]:
    async def record(*args: object) -> int:
        calls.append(args)
        return 0

    return record
