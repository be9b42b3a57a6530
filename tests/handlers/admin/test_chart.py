"""Dinas staff look at the open round instead of reading it: `/grafik` sends the progress
chart as a picture with its figures in the caption; treasurers cannot ask for it; and while
a round is open the group gets the chart once a day, never in quiet hours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PIL import Image

import tests.support.use_case_steps as steps
from bot.config import Config
from bot.scheduler import RoundScheduler
from messages.outbox_codec import decode_reply
from purchasing.model import Round
from purchasing.times import WIB
from spreadsheets.charts import PNG_SIGNATURE, write_png
from storage.delivery import outbox
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser
from tests.support.fixtures.schedule import GROUP, Network, queued, seed_network
from tests.support.storage_builders import begin_closing, database_at, place_order
from usecases.charts import DAILY_KIND, charts_folder, prune_charts


def is_png(path: Path | None) -> bool:
    assert path is not None
    with Image.open(path) as image:
        return path.read_bytes().startswith(PNG_SIGNATURE) and image.width == 1080


def wib(day: datetime, hour: int) -> datetime:
    """`hour` o'clock WIB on the day after `day` (in WIB)."""
    local = day.astimezone(WIB).date() + timedelta(days=1)
    return datetime.combine(local, time(hour), tzinfo=WIB).astimezone(UTC)


async def test_admin_gets_the_open_rounds_chart_with_its_figures_as_caption(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await place_order(chat_admin.services.db, chat_round, "DT", "GLP-50", 12, now=chat_clock())
    await place_order(chat_admin.services.db, chat_round, "DT", "BRS-SPHP50", 10, now=chat_clock())

    [reply] = await chat_admin.send("/grafik")

    assert reply.template == "charts/progress_caption"
    assert is_png(reply.attachment) and reply.picture
    assert "Kemajuan Putaran" in chat_admin.last_text
    # the same figures as /rekap: the rice is below its MOQ of 20, so it is waiting
    value = "Nilai pesanan sementara Rp 10.260.000 (+ Rp 6.400.000 menunggu minimal pesanan)"
    assert value in chat_admin.last_text
    await chat_admin.send("/rekap")
    assert "Nilai pesanan: Rp 10.260.000 (+ Rp 6.400.000 menunggu minimal pesanan)" in (
        chat_admin.last_text
    )
    [english] = await chat_admin.send("/chart")  # the alias
    assert english.attachment == reply.attachment  # the latest chart replaces the one before


async def test_a_treasurer_asking_for_the_chart_is_refused(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    [reply] = await chat_treasurer.send("/grafik")

    assert reply.template == "errors/not_admin"
    assert reply.attachment is None


async def test_without_an_open_round_the_admin_is_told_there_is_no_chart(
    chat_admin: ChatUser,
) -> None:
    [reply] = await chat_admin.send("/grafik")

    assert reply.template == "charts/progress_none" and reply.attachment is None
    assert "Tidak ada putaran yang sedang buka" in chat_admin.last_text


async def daily_charts(network: Network) -> list[tuple[str, str]]:
    """The daily charts queued so far: (chat, day of the dedupe key)."""
    return [
        (message.chat_id, message.dedupe_key.split(":")[2])
        for message in await queued(network.db, DAILY_KIND)
    ]


async def test_the_group_gets_the_chart_once_a_day_and_never_in_quiet_hours(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)  # opened at 10.00 WIB, closing in two days
        await network.order("KOP01", "GLP1", 10)
        scheduler = RoundScheduler(network.services, Config(), network.clock)
        opened = network.clock()

        await scheduler.sweep()
        network.clock.advance(timedelta(hours=3))
        await scheduler.sweep()  # the same day: nothing more
        first_day = await daily_charts(network)
        network.clock.now = wib(opened, 5)  # the next morning, still quiet (21.00-06.00)
        await scheduler.sweep()
        before_six = await daily_charts(network)
        network.clock.now = wib(opened, 6)
        await scheduler.sweep()
        await scheduler.sweep()

        today = opened.astimezone(WIB).date()
        assert first_day == [(GROUP[1], today.isoformat())]
        assert before_six == first_day
        tomorrow = (today + timedelta(days=1)).isoformat()
        assert await daily_charts(network) == [*first_day, (GROUP[1], tomorrow)]
        [message, _] = await queued(db, DAILY_KIND)
        reply = decode_reply(message.payload)
        assert reply.template == "charts/progress_caption" and is_png(reply.attachment)
        assert reply.picture  # shown in the group's chat, not a file to open
        assert reply.context["best"] == 0 and reply.context["products"] == 3


async def test_no_chart_goes_to_the_group_while_staff_close_the_round(
    ordering: Network,
) -> None:
    await begin_closing(ordering.db, ordering.round.id, ordering.clock())

    await RoundScheduler(ordering.services, Config(), ordering.clock).sweep()

    assert await daily_charts(ordering) == []


async def test_no_chart_goes_to_the_group_before_anybody_ordered(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        scheduler = RoundScheduler(network.services, Config(), network.clock)

        await scheduler.sweep()
        nothing_yet = await daily_charts(network)
        await steps.set_commitment(
            db, round_id=network.round.id, coop_code="KOP02", product_code="MIE1",
            quantity=2, actor="test", via="test", now=network.clock(),
        )  # fmt: skip
        await scheduler.sweep()

        assert nothing_yet == []
        assert len(await daily_charts(network)) == 1


@pytest.fixture
async def ordering(tmp_path: Path) -> AsyncIterator[Network]:
    """The schedule tests' network, KOP01 having ordered: its round has a chart to post."""
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await network.order("KOP01", "GLP1", 10)
        yield network


async def test_old_daily_charts_are_deleted_once_sent_never_while_they_wait(
    ordering: Network,
) -> None:
    scheduler = RoundScheduler(ordering.services, Config(), ordering.clock)
    opened = ordering.clock()
    await scheduler.sweep()
    ordering.clock.now = wib(opened, 6)
    await scheduler.sweep()
    first, second = await queued(ordering.db, DAILY_KIND)
    files = [decode_reply(message.payload).attachment for message in (first, second)]
    await outbox.mark_sent(ordering.db, first.id, ordering.clock())  # the second still waits
    day, open_now = opened.astimezone(WIB).date(), ordering.round.id
    folder = charts_folder(ordering.db.path)
    asked = [write_png(PNG_SIGNATURE, folder / f"putaran-{n}-id.png") for n in (open_now, 999)]

    kept_while_recent = await prune_charts(ordering.services, day + timedelta(days=2), open_now)
    asked_again = write_png(PNG_SIGNATURE, folder / "putaran-999-id.png")  # an old round's
    deleted_later = await prune_charts(ordering.services, day + timedelta(days=30), open_now)

    assert kept_while_recent == 1  # only /grafik's chart of a round no longer open
    assert deleted_later == 2
    assert files[0] is not None and not files[0].exists()
    assert files[1] is not None and files[1].exists() and is_png(files[1])
    assert asked[0].exists() and not asked_again.exists()
