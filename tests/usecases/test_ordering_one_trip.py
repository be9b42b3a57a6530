"""A treasurer's usual order (a round this bot has read, nothing to post, no unknown code)
costs ONE brief trip, on the event loop's own thread: read where the order stands, judge,
write, read the estimate's lines and commit. A share over a supply cap is counted on
SQLite's thread before the commit; anything unusual goes the long way in the same
transaction and ends exactly as before."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.errors import UnknownProduct
from purchasing.model import CommitmentChange, Round
from storage import commitment_reads
from storage.commitment_reads import audit_log, commitments_for_coop, coop_lines
from storage.commitments import Audit
from storage.database import Database, open_database
from tests.support.storage_builders import seed_open_round
from tests.support.use_case_steps import acting_at, extend_round
from usecases.ordering import set_quantities

AUDIT = Audit("telegram:1001", "telegram", "55")


@pytest.fixture
async def round_(db: Database) -> Round:
    opened = await seed_open_round(db)
    # The bot has read the round once (its first order), as it has after its first minutes.
    await set_quantities(acting_at(db), opened.id, "KOP02", [("GLP1", 1)], AUDIT, with_lines=True)
    return opened


def count_trips(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each trip to SQLite from here on: "brief" (on the loop's thread), "thread"."""
    trips: list[str] = []
    trip, on_thread = db._trip, db.on_thread

    async def counted_trip(work, *, brief, undoable=True):  # type: ignore[no-untyped-def]
        if brief:
            trips.append("brief")
        return await trip(work, brief=brief, undoable=undoable)

    async def counted_on_thread(work):  # type: ignore[no-untyped-def]
        trips.append("thread")
        return await on_thread(work)

    monkeypatch.setattr(db, "_trip", counted_trip)
    monkeypatch.setattr(db, "on_thread", counted_on_thread)
    return trips


async def test_an_order_goes_to_sqlite_once_and_another_process_sees_it_with_its_audit(
    db: Database, round_: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = count_trips(db, monkeypatch)

    done = await set_quantities(
        acting_at(db), round_.id, "KOP01", [("GLP1", 3), ("MIE1", 2)], AUDIT, with_lines=True
    )

    assert trips == ["brief"]
    assert [(c.item.product_code, c.old, c.new, c.total) for c in done.changes] == [
        ("GLP1", 0, 3, 4), ("MIE1", 0, 2, 2),
    ]  # fmt: skip
    async with open_database(tmp_path / "belanja.db") as cli:
        ordered = await commitments_for_coop(cli, round_.id, "KOP01")
        assert {(c.product_code, c.quantity) for c in ordered} == {("GLP1", 3), ("MIE1", 2)}
        audited = await audit_log(cli, round_.id, "KOP01")
        assert [(a.product_code, a.old_quantity, a.new_quantity) for a in audited] == [
            ("GLP1", 0, 3), ("MIE1", 0, 2),
        ]  # fmt: skip
        assert done.lines == await coop_lines(cli, round_.id, "KOP01")


async def test_a_share_over_the_supply_cap_among_few_coops_is_counted_in_the_brief_trip(
    db: Database, round_: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BRS5's supplier can deliver 30 sacks; two coops ask for 40.
    await set_quantities(acting_at(db), round_.id, "KOP02", [("BRS5", 25)], AUDIT, with_lines=True)
    trips = count_trips(db, monkeypatch)

    done = await set_quantities(
        acting_at(db), round_.id, "KOP01", [("BRS5", 15), ("MIE1", 2)], AUDIT, with_lines=True
    )

    assert trips == ["brief"]
    async with open_database(tmp_path / "belanja.db") as cli:
        assert done.lines == await coop_lines(cli, round_.id, "KOP01")
    over = next(line for line in done.lines if line.product_code == "BRS5")
    assert (over.quantity, over.total, over.share) == (15, 40, 11)


async def test_a_share_among_more_coops_than_a_brief_trip_counts_goes_to_sqlites_thread(
    db: Database, round_: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await set_quantities(acting_at(db), round_.id, "KOP02", [("BRS5", 25)], AUDIT, with_lines=True)
    monkeypatch.setattr(commitment_reads, "BRIEF_SHARE_LINES", 1)
    trips = count_trips(db, monkeypatch)

    done = await set_quantities(
        acting_at(db), round_.id, "KOP01", [("BRS5", 15), ("MIE1", 2)], AUDIT, with_lines=True
    )

    assert trips == ["brief", "thread", "thread"]  # the order; its lines; the commit
    async with open_database(tmp_path / "belanja.db") as cli:
        assert done.lines == await coop_lines(cli, round_.id, "KOP01")
        assert [
            (c.product_code, c.quantity)
            for c in await commitments_for_coop(cli, round_.id, "KOP01")
        ] == [("BRS5", 15), ("MIE1", 2)]
    over = next(line for line in done.lines if line.product_code == "BRS5")
    assert (over.quantity, over.total, over.share) == (15, 40, 11)


async def test_an_order_while_another_process_writes_waits_on_sqlites_thread(
    db: Database, round_: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = count_trips(db, monkeypatch)
    queued, counted = asyncio.Event(), db.on_thread

    async def queued_on_thread(work):  # type: ignore[no-untyped-def]
        queued.set()
        return await counted(work)

    monkeypatch.setattr(db, "on_thread", queued_on_thread)
    async with open_database(tmp_path / "belanja.db") as cli, cli.transaction() as busy:
        await busy.execute("INSERT INTO coops (code, name) VALUES ('KOP99', 'Dari CLI')")
        order = asyncio.create_task(
            set_quantities(acting_at(db), round_.id, "KOP01", [("GLP1", 3)], AUDIT, with_lines=True)
        )
        await queued.wait()  # tried on the loop's thread, then queued on SQLite's
        assert not order.done()

    done = await order
    assert trips == ["brief", "thread"]
    assert [
        (c.product_code, c.quantity) for c in await commitments_for_coop(db, round_.id, "KOP01")
    ] == [("GLP1", 3)]
    assert [(line.product_code, line.total) for line in done.lines] == [("GLP1", 4)]


async def test_a_round_another_process_extended_is_judged_as_it_is_now(
    db: Database, round_: Round, tmp_path: Path
) -> None:
    later = round_.closes_at + timedelta(hours=1)
    async with open_database(tmp_path / "belanja.db") as cli:
        await extend_round(cli, round_.id, round_.closes_at + timedelta(days=1))

    # Past the deadline this bot read, before the one the other process set.
    done = await set_quantities(
        acting_at(db, later), round_.id, "KOP01", [("GLP1", 3)], AUDIT, with_lines=True
    )

    assert [type(result) for result in done.results] == [CommitmentChange]
    assert [
        (c.product_code, c.quantity) for c in await commitments_for_coop(db, round_.id, "KOP01")
    ] == [("GLP1", 3)]


async def test_a_code_nobody_sells_is_named_and_the_other_line_still_counts(
    db: Database, round_: Round
) -> None:
    done = await set_quantities(
        acting_at(db), round_.id, "KOP01", [("GLP1", 3), ("XYZ9", 1)], AUDIT, with_lines=True
    )

    assert isinstance(done.results[1], UnknownProduct)
    assert [(line.product_code, line.quantity) for line in done.lines] == [("GLP1", 3)]
    assert len(await audit_log(db, round_.id, "KOP01")) == 1


async def test_after_its_last_trip_committed_a_transaction_takes_no_more_statements(
    db: Database,
) -> None:
    with pytest.raises(RuntimeError, match="after the transaction was committed"):
        async with db.transaction() as tx:
            await tx.in_one_trip_ending(lambda conn: (conn.execute("SELECT 1").fetchall(), True))
            await tx.execute("INSERT INTO coops (code, name) VALUES ('KOP99', 'Baru')")

    assert not await db.fetch_all("SELECT * FROM coops WHERE code = 'KOP99'")
