"""A close decided, then the bot stopped before it wrote the bills: they stay held. The next
sweep writes them, and the outbox sender, idle on a clock that stands still (its idle
timeout never comes), sends them at once: the sweep wakes it, as it does after a close."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.delivery.sender import Delivery
from bot.scheduler import RoundScheduler
from messages.replies import Reply
from storage.delivery import outbox
from tests.support.fixtures.schedule import sugar_ordered
from tests.support.storage_builders import database_at
from usecases.sweeps import close_due_rounds

IDLE_SECONDS = 3600.0


class StandingTime:
    """The sender's sleep on a clock that never moves: an idle wait ends only when the
    sender is woken. `idle` is set whenever the sender starts waiting."""

    def __init__(self) -> None:
        self.idle = asyncio.Event()
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.idle.set()
        await asyncio.Event().wait()


class Phones:
    """Every chat's phone: what reached which chat; `bill` is set when Bu Siti's bill came."""

    def __init__(self) -> None:
        self.got: list[tuple[str, Reply]] = []
        self.bill = asyncio.Event()

    async def deliver(self, chat_id: str, reply: Reply) -> str:
        self.got.append((chat_id, reply))
        if chat_id == "101" and reply.template == "summary_bill":
            self.bill.set()
        return str(len(self.got))


def stopped_before_the_bills(*args: object, **kwargs: object) -> object:
    raise RuntimeError("the bot stopped before it wrote the bills")


async def test_bills_a_crash_left_held_go_out_at_the_next_sweep_without_the_idle_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database_at(tmp_path) as db:
        network = await sugar_ordered(db)
        network.clock.now = network.round.closes_at + timedelta(minutes=1)
        with monkeypatch.context() as crash:  # the close decides, its bills stay held
            crash.setattr("usecases.rounds.write_bills", stopped_before_the_bills)
            await close_due_rounds(network.services, network.clock())
        [held] = await outbox.held_messages(db, "summary:", 10)
        assert held.chat_id == "101"

        time, phones = StandingTime(), Phones()
        delivery = Delivery(
            db, {"telegram": phones}, clock=network.clock, sleep=time.sleep,
            idle_seconds=IDLE_SECONDS,
        )  # fmt: skip
        stop = asyncio.Event()
        sending = asyncio.create_task(delivery.run(stop))
        await asyncio.wait_for(time.idle.wait(), timeout=10)  # the close's other messages went
        assert not phones.bill.is_set()

        restarted = RoundScheduler(
            network.services, Config(), network.clock, notify=delivery.notify
        )
        report = await restarted.sweep()
        await asyncio.wait_for(phones.bill.wait(), timeout=10)
        stop.set()
        await asyncio.wait_for(sending, timeout=10)

        assert report.closed == 0 and report.held_bills  # nothing closed: only bills written
        [bill] = [reply for chat, reply in phones.got if reply.template == "summary_bill"]
        assert bill.context["lines"]
        assert time.waits[0] == IDLE_SECONDS  # it was idle for an hour, on a clock that stands
        assert await outbox.held_messages(db, "summary:", 10) == []
