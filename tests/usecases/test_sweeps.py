"""The sweeps that open and close rounds: exactly once, however often, late or racing."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
import usecases.rounds
from handlers.contract.services import Services
from messages import Renderer
from purchasing.errors import RoundClosing
from purchasing.model import MoqPolicy, RoundStatus
from purchasing.reminders import ReminderPolicy
from storage import rounds
from storage.database import open_database
from tests.support.builders import NOW
from tests.support.fixtures.schedule import (
    ADMIN,
    SUMMARY_PRODUCTS,
    queued,
    rendered,
    seed_network,
)
from tests.support.storage_builders import database_at
from usecases.rounds import close_round
from usecases.sweeps import close_due_rounds, keep_sent_for, open_due_rounds

DEADLINE = NOW + timedelta(days=2)


async def test_a_sweep_before_the_deadline_leaves_the_round_open(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)

        closed = await close_due_rounds(network.services, DEADLINE - timedelta(seconds=1))

        assert closed == []
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.OPEN
        assert await queued(db, "summary") == []


async def test_a_sweep_that_runs_twice_closes_once_and_queues_the_summaries_once(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        await network.order("KOP02", "MIE1", 3)

        first = await close_due_rounds(network.services, DEADLINE)
        rows_after_first = await queued(db, "summary")
        second = await close_due_rounds(network.services, DEADLINE + timedelta(minutes=1))

        assert [outcome.round_id for outcome in first] == [network.round.id]
        assert second == []
        assert await queued(db, "summary") == rows_after_first
        kinds = Counter(message.kind for message in rows_after_first)
        # two bills (one per treasurer), the group, the admin, Bulog's purchase order
        assert kinds == {
            "summary_bill": 2,
            "summary_group": 1,
            "summary_overview": 1,
            "summary_purchase_order": 1,
        }


async def test_two_sweeps_race_one_close_one_set_of_summaries(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        async with open_database(db.path) as other_db:
            other = Services(db=other_db, now=network.clock)
            results = await asyncio.gather(
                close_due_rounds(network.services, DEADLINE),
                close_due_rounds(other, DEADLINE),
                close_due_rounds(network.services, DEADLINE),
            )

        outcomes = [outcome for result in results for outcome in result]
        assert len(outcomes) == 1
        bills = await queued(db, "summary_bill")
        assert [message.chat_id for message in bills] == ["101"]
        assert len(await queued(db, "summary")) == 4  # bill, group, overview, purchase order


async def test_the_deadline_passed_long_ago_the_round_still_closes_once(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP02", "GLP1", 5)

        closed = await close_due_rounds(network.services, DEADLINE + timedelta(days=9))

        assert len(closed) == 1 and closed[0].bills[0].coop_code == "KOP02"
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED


class Crash(Exception):
    pass


async def test_a_round_staff_began_closing_when_the_bot_died_is_closed_by_the_next_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "MNY2"),
            moq_policy=MoqPolicy.EXTEND, extend_hours=24,
        )  # fmt: skip
        await network.order("KOP01", "MNY2", 10)  # short of its minimum: no extension now
        await network.order("KOP02", "GLP1", 5)

        async def dies(*args: object, **kwargs: object) -> None:
            raise Crash()

        monkeypatch.setattr(usecases.rounds, "_prepare", dies)
        with pytest.raises(Crash):  # staff confirmed; the bot died before the close
            await close_round(network.services, network.round.id, force=True)
        monkeypatch.undo()
        with pytest.raises(RoundClosing):
            await network.order("KOP02", "GLP1", 8)

        # The sweeps of the minutes after leave it to staff's close, which may still run.
        assert await close_due_rounds(network.services, NOW + timedelta(minutes=14)) == []
        restarted = NOW + timedelta(minutes=15)  # long before the deadline
        [outcome] = await close_due_rounds(network.services, restarted)

        bills = {bill.coop_code: bill for bill in outcome.bills}
        assert [(line.product_code, line.asked) for line in bills["KOP02"].lines] == [("GLP1", 5)]
        assert [product.product_code for product in outcome.overview.unfilled] == ["MNY2"]
        round_ = await rounds.get_round(db, network.round.id)
        assert round_ is not None and round_.status is RoundStatus.CLOSED
        assert round_.closed_at == restarted and round_.orders_ended_at == NOW


async def test_missed_moq_with_extend_policy_extended_once_notices_queued_then_closes(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db,
            products=SUMMARY_PRODUCTS,
            product_codes=("GLP1", "BRS5", "MNY2"),
            moq_policy=MoqPolicy.EXTEND,
            extend_hours=24,
        )
        await network.order("KOP01", "MNY2", 10)  # 40 short of the MOQ of 50
        await network.order("KOP02", "GLP1", 5)

        assert await close_due_rounds(network.services, DEADLINE) == []
        assert await close_due_rounds(network.services, DEADLINE + timedelta(hours=1)) == []

        extended = await rounds.get_round(db, network.round.id)
        assert extended is not None and extended.status is RoundStatus.OPEN
        assert extended.closes_at == DEADLINE + timedelta(hours=24) and extended.extended
        notices = await queued(db, "round_extended")
        # KOP01 ordered the short item; KOP02 did not: only the group and KOP01's rep hear it
        assert sorted(message.chat_id for message in notices) == ["-100500", "101"]
        rep_notice = next(m for m in notices if m.chat_id == "101")
        context = rep_notice.payload["context"]
        assert [coop["code"] for coop in context["coops"]] == ["KOP01"]
        assert "Koperasi KOP01 memesan produk ini" in rendered(rep_notice, Renderer())
        assert context["short"][0]["product_code"] == "MNY2"
        assert context["short"][0]["short_by"] == 40
        assert await queued(db, "summary") == []

        closed = await close_due_rounds(network.services, DEADLINE + timedelta(hours=24))

        assert len(closed) == 1
        assert not next(p for p in closed[0].products if p.product_code == "MNY2").filled
        assert len(await queued(db, "round_extended")) == 2  # no second extension
        assert len(await queued(db, "summary_bill")) == 2


async def test_staff_closing_early_also_queue_the_summaries(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)

        outcome = await close_round(network.services, network.round.id, force=True, now=NOW)

        assert outcome is not None
        assert len(await queued(db, "summary_bill")) == 1


async def test_a_due_draft_waits_for_the_open_round_to_close_then_opens_and_is_announced_once(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        opens_at = NOW + timedelta(hours=1)
        draft = await steps.create_round(
            db, "Putaran April", opens_at, opens_at + timedelta(days=2), ["GLP1"], now=NOW
        )

        assert await open_due_rounds(network.services, opens_at - timedelta(seconds=1)) == []
        waiting = await open_due_rounds(network.services, opens_at)  # the March round is open
        await steps.close_round(db, network.round.id, opens_at, force=True)
        opened = await open_due_rounds(network.services, opens_at + timedelta(minutes=1))
        again = await open_due_rounds(network.services, opens_at + timedelta(minutes=2))

        assert waiting == [] and [round_.id for round_ in opened] == [draft.id] and again == []
        announced = [
            message
            for message in await queued(db, "round_opened")
            if message.dedupe_key.startswith(f"round_opened:{draft.id}:")
        ]
        # the group and the three reps' private chats, once each
        # The group and both treasurers; the supplier's rep only hears of the round at close.
        assert sorted(message.chat_id for message in announced) == ["-100500", "101", "102"]


async def test_a_draft_whose_deadline_passed_stays_a_draft_and_the_admin_is_told_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)  # the March round, open until NOW + 2 days
        opens_at, closes_at = NOW + timedelta(hours=1), DEADLINE + timedelta(hours=1)
        draft = await steps.create_round(db, "Terlambat", opens_at, closes_at, ["GLP1"], now=NOW)
        await usecases.rounds.extend_round(
            network.services, network.round.id, DEADLINE + timedelta(days=1)
        )

        with caplog.at_level(logging.WARNING, logger="usecases.sweeps"):
            await open_due_rounds(network.services, closes_at + timedelta(minutes=1))
            await open_due_rounds(network.services, closes_at + timedelta(minutes=2))

        stale = await rounds.get_round(db, draft.id)
        assert stale is not None and stale.status is RoundStatus.DRAFT
        [told] = await queued(db, "draft_expired")
        assert (told.platform, told.chat_id) == ADMIN
        text = rendered(told, Renderer())
        assert "Terlambat (#2) tidak dibuka: batas waktunya" in text
        assert f"/putaran batal {draft.id}" in text
        [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert f"draft round {draft.id} stays a draft" in warning.getMessage()


def test_sent_messages_are_kept_a_day_longer_than_the_longest_reminder_offset() -> None:
    assert keep_sent_for(30, ReminderPolicy()) == timedelta(days=30)
    assert keep_sent_for(0, ReminderPolicy()) is None  # keep for ever
    long_reminder = ReminderPolicy(offsets=(timedelta(days=40), timedelta(hours=2)))
    assert keep_sent_for(30, long_reminder) == timedelta(days=41)
