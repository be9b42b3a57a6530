"""The round just closed: the sender makes the overview's workbook for the admins while Mbak
Rina types /ekspor for the same round. The bot's one maker of round files (`bot.wiring.wire`)
makes it once, in one child, and both get that file; asked again later, it is made anew."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import tests.support.use_case_steps as steps
from bot.config import Config
from bot.wiring import wire
from bot.workbook_child import WorkbookJob, make_workbook
from handlers.contract.services import Services
from messages.replies import FileKind, FileRequest
from purchasing.model import Round
from tests.support.clock import Clock
from tests.support.storage_builders import place_order


class Children:
    """Counts the workbook children started (each is the real one); `started` is set at
    the first."""

    def __init__(self, make: Callable[[WorkbookJob], Awaitable[Path]]) -> None:
        self.jobs: list[WorkbookJob] = []
        self.started = asyncio.Event()
        self._make = make

    async def make(self, job: WorkbookJob) -> Path:
        self.jobs.append(job)
        self.started.set()
        return await self._make(job)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> Children:
    counted = Children(make_workbook)
    monkeypatch.setattr("bot.exports.make_workbook", counted.make)
    return counted


@pytest.fixture
async def closed(chat_services: Services, chat_round: Round, chat_clock: Clock) -> Round:
    await place_order(chat_services.db, chat_round, "DT", "GLP-50", 12, now=chat_clock())
    await steps.close_round(chat_services.db, chat_round.id, chat_clock(), force=True)
    return chat_round


async def test_the_overviews_workbook_and_an_export_of_it_at_once_are_made_once(
    chat_services: Services, closed: Round, chat_clock: Clock, children: Children
) -> None:
    services = wire(Config(), chat_services.db, chat_clock).services
    assert services.round_file is not None and services.round_workbook is not None
    overview = FileRequest(FileKind.WORKBOOK, closed.id)

    for_admins, exported = await asyncio.gather(
        services.round_file(overview, "id"), services.round_workbook(closed.id, "id")
    )

    assert for_admins == exported and len(children.jobs) == 1
    assert load_workbook(exported)["Ringkasan"]["B4"].value == "Ditutup"
    again = await services.round_workbook(closed.id, "id")  # later: as it stands then
    assert again == exported and len(children.jobs) == 2


async def test_an_export_given_up_does_not_stop_the_workbook_the_sender_waits_for(
    chat_services: Services, closed: Round, chat_clock: Clock, children: Children
) -> None:
    services = wire(Config(), chat_services.db, chat_clock).services
    assert services.round_file is not None and services.round_workbook is not None
    exporting = asyncio.ensure_future(services.round_workbook(closed.id, "id"))
    sending = asyncio.ensure_future(
        services.round_file(FileRequest(FileKind.WORKBOOK, closed.id), "id")
    )
    await children.started.wait()

    exporting.cancel()
    path = await asyncio.wait_for(sending, timeout=120)

    assert exporting.cancelled() and len(children.jobs) == 1
    assert load_workbook(path)["Ringkasan"]["B4"].value == "Ditutup"


async def test_asked_while_a_given_up_workbook_is_still_being_stopped_it_is_made_anew(
    chat_services: Services, closed: Round, chat_clock: Clock, children: Children
) -> None:
    services = wire(Config(), chat_services.db, chat_clock).services
    assert services.round_file is not None and services.round_workbook is not None
    exporting = asyncio.ensure_future(services.round_workbook(closed.id, "id"))
    await children.started.wait()
    exporting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await exporting  # given up: its child is being stopped now

    path = await services.round_file(FileRequest(FileKind.WORKBOOK, closed.id), "id")

    assert len(children.jobs) == 2  # the sender's own, not the one being stopped
    assert load_workbook(path)["Ringkasan"]["B4"].value == "Ditutup"
