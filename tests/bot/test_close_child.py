"""The scheduler's sweep closes a due round in a child process (`bot.close_child`): the same
use case and transactions, with the round's outcome built and dropped outside the bot. Staff
closing a round early from the chat close it there too (`close_round_apart`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.close_child import Closes, close_due_rounds_apart, close_round_apart
from bot.config import Config
from bot.wiring import wire
from handlers.contract.services import Services
from messages.outbox_codec import decode_reply
from purchasing.errors import RoundClosing
from purchasing.model import RoundStatus
from purchasing.rounds import LEFT_CLOSING_AFTER
from storage import rounds
from storage.database import Database
from storage.delivery import outbox
from tests.support.builders import NOW
from tests.support.fixtures.schedule import (
    SUMMARY_PRODUCTS,
    Network,
    queued,
    seed_network,
    sugar_ordered,
)
from tests.support.storage_builders import begin_closing, database_at
from usecases.rounds import round_outcome


async def watched(
    db: Database, seeded: Callable[[Database], Awaitable[Network]] = sugar_ordered
) -> tuple[Network, Services, list[str]]:
    """`seeded` (`sugar_ordered`), with the bot's services noting each time the scheduler is
    told to rebuild its alarms ("rebuild")."""
    network = await seeded(db)
    changes: list[str] = []

    async def round_changed() -> None:
        changes.append("rebuild")

    return network, replace(network.services, on_round_changed=round_changed), changes


def broken_in_this_process(*args: object, **kwargs: object) -> object:
    raise AssertionError("the bills were written in the bot's own process")


async def test_a_due_round_is_closed_and_billed_by_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network, services, changes = await watched(db)
        monkeypatch.setattr("usecases.rounds.write_bills", broken_in_this_process)

        closed = await close_due_rounds_apart(services, network.round.closes_at)

        assert closed == Closes(1) and changes == ["rebuild"]  # the scheduler rebuilds its alarms
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        [bill] = [m for m in await queued(db, "summary_bill") if m.chat_id == "101"]
        assert decode_reply(bill.payload).context["lines"]  # written by the child
        assert await outbox.held_messages(db, "summary:", 10) == []


async def test_no_round_due_and_no_bill_held_starts_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, products=SUMMARY_PRODUCTS, product_codes=("GLP1",))
        monkeypatch.setattr(
            "bot.close_child.asyncio.create_subprocess_exec", broken_in_this_process
        )

        before_deadline = network.round.closes_at - timedelta(minutes=1)

        assert await close_due_rounds_apart(network.services, before_deadline) == Closes(0)
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.OPEN


async def test_a_child_that_cannot_run_leaves_no_round_open_the_bot_closes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_ordered(db)
        monkeypatch.setattr("bot.close_child.MODULE", "bot.no_such_child")  # e.g. a bad install

        closed = await close_due_rounds_apart(network.services, network.round.closes_at)

        assert closed == Closes(1)
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert [m for m in await queued(db, "summary_bill") if m.chat_id == "101"]
        assert "closing them here" in caplog.text and "bot.no_such_child" in caplog.text


async def test_a_child_stopped_just_after_it_closed_still_gets_the_bills_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_at(tmp_path) as db:
        network, services, changes = await watched(db)
        monkeypatch.setattr("bot.close_child.MODULE", "tests.support.close_then_die")

        closed = await close_due_rounds_apart(services, network.round.closes_at)

        # Told like any close: the scheduler wakes the sender and rebuilds its alarms.
        assert closed == Closes(1) and changes == ["rebuild"]
        assert "was stopped" in caplog.text
        assert [m for m in await queued(db, "summary_bill") if m.chat_id == "101"]


async def sugar_and_too_little_oil(db: Database) -> Network:
    """`sugar_ordered`, and 5 cartons of oil (MNY2, minimum 50) that will not be bought."""
    network = await seed_network(db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "MNY2"))
    await network.order("KOP01", "GLP1", 60)
    await network.order("KOP02", "MNY2", 5)
    return network


async def test_staff_closing_early_closes_and_bills_in_a_child_and_gets_the_overview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network, services, changes = await watched(db, sugar_and_too_little_oil)
        monkeypatch.setattr("usecases.rounds.write_bills", broken_in_this_process)
        assert network.clock() < network.round.closes_at  # early

        overview = await close_round_apart(services, network.round.id)

        assert overview is not None and changes == ["rebuild"]
        assert (overview.coops_invited, overview.coops_ordered) == (5, 2)
        assert [product.product_code for product in overview.unfilled] == ["MNY2"]
        assert overview == (await round_outcome(db, network.round.id)).overview
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert [m for m in await queued(db, "summary_bill") if m.chat_id == "101"]

        assert await close_round_apart(services, network.round.id) is None  # closed already


async def test_staff_closing_early_when_the_child_cannot_run_closes_in_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_and_too_little_oil(db)
        monkeypatch.setattr("bot.close_child.MODULE", "bot.no_such_child")

        overview = await close_round_apart(network.services, network.round.id)

        assert overview is not None and [p.product_code for p in overview.unfilled] == ["MNY2"]
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert "closing it here" in caplog.text


async def test_the_bot_closes_staffs_early_closes_in_a_child(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        services = wire(Config(), db, lambda: NOW).services

        assert services.close_early is close_round_apart


async def test_staff_closing_early_when_the_child_closes_then_is_killed_is_told_by_the_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_at(tmp_path) as db:
        network, services, changes = await watched(db)
        monkeypatch.setattr("bot.close_child.MODULE", "tests.support.close_then_die")

        overview = await close_round_apart(services, network.round.id)

        assert overview is None and changes == ["rebuild"]  # not closed again here
        assert "was stopped" in caplog.text
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert [m for m in await queued(db, "summary_bill") if m.chat_id == "101"]


async def test_a_child_killed_before_it_closed_leaves_the_round_closing_for_the_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_ordered(db)
        monkeypatch.setattr("bot.close_child.MODULE", "tests.support.die_at_once")

        assert await close_round_apart(network.services, network.round.id) is None

        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.OPEN
        assert round_.closing_since == network.clock()  # stopped by the bot, before the child
        with pytest.raises(RoundClosing):
            await network.order("KOP01", "GLP1", 70)
        monkeypatch.undo()  # the next children run
        later = network.clock() + LEFT_CLOSING_AFTER
        assert await close_due_rounds_apart(network.services, later) == Closes(1)
        closed = await rounds.get_round(db, network.round.id)
        assert closed is not None and closed.status is RoundStatus.CLOSED


async def test_a_second_admin_confirming_a_moment_later_starts_no_second_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_ordered(db)
        await begin_closing(db, network.round.id, network.clock())  # the first admin's close
        monkeypatch.setattr("bot.close_child.MODULE", "bot.no_such_child")  # would close here

        assert await close_round_apart(network.services, network.round.id) is None

        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.OPEN  # left to the first
