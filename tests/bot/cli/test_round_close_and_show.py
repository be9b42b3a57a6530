"""Staff close a round from the command line and look at it: a second `round close` says the
round was closed before and sends nothing again, and `round show` and `round list` say where
a round stands, a close still running included."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage.database import open_database
from storage.delivery.outbox import DeliveryStatus, delivery_counts
from tests.support.fixtures.cli import Cli
from tests.support.storage_builders import begin_closing


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The example catalog and round 1, open until Saturday 5 December 2026 17:00 WIB, with
    one order from DT."""
    cli = Cli(tmp_path, capsys)
    cli.prepared()
    cli.ok("round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    cli.ok("order", "1", "DT", "IDM-GRG", "10")
    return cli


def test_closing_a_closed_round_again_says_so_and_sends_nothing_again(cli: Cli) -> None:
    cli.now += timedelta(hours=2)  # Tuesday 1 December 2026, 10:00 WIB
    first = cli.ok("round", "close", "1")
    queued = asyncio.run(_queued(cli))
    cli.now += timedelta(days=1)

    again = cli.ok("round", "close", "1")

    said, *summary = again.splitlines()
    assert said == (
        "Putaran #1 «Desember» sudah ditutup sebelumnya, Selasa, 1 Des 2026 10.00 WIB: tidak"
        " ada yang ditutup atau dikirim lagi. Ringkasan penutupannya:"
    )
    assert summary == first.splitlines()
    assert first.startswith("Putaran #1 «Desember» ditutup.\n")
    assert asyncio.run(_queued(cli)) == queued


def test_closing_a_cancelled_round_is_refused(cli: Cli) -> None:
    cli.ok("round", "cancel", "1")
    before = cli.counts()

    refused = cli.failed("round", "close", "1")

    assert "sudah dibatalkan tidak bisa ditutup" in refused
    assert cli.counts() == before


def test_cancelling_a_round_while_its_close_runs_is_refused(cli: Cli) -> None:
    asyncio.run(_begin_closing(cli, at=cli.now))  # another admin's close, still running
    cli.now += timedelta(minutes=1)
    before = cli.counts()

    refused = cli.failed("round", "cancel", "1")

    assert refused.startswith(
        "Putaran Desember tidak dibatalkan: putaran ini sedang ditutup sejak Selasa,"
    )
    assert cli.counts() == before


def test_round_show_of_a_closed_round_puts_what_came_after_on_its_own_line(cli: Cli) -> None:
    cli.ok("round", "close", "1")

    shown = cli.ok("round", "show", "1").splitlines()

    assert shown[-3].startswith("Sudah memesan (1): DT")
    assert shown[-2].startswith("Tidak memesan (19): ALIKHLAS, ")
    assert shown[-2].endswith(", UNPAD")
    assert shown[-1].startswith("Setelah ditutup: surat pesanan terkirim.")


def test_round_show_of_a_closed_round_gives_the_price_it_closed_at_and_no_next_price(
    cli: Cli,
) -> None:
    cli.ok("order", "1", "KKPITB", "GLP-50", "3")
    open_now = cli.ok("round", "show", "1")
    cli.ok("round", "close", "1")

    shown = cli.ok("round", "show", "1").splitlines()
    in_english = cli.ok("--lang", "en", "round", "show", "1").splitlines()

    assert "harga sekarang Rp 122.000, 20 lagi untuk Rp 119.000" in open_now
    noodles = next(line for line in shown if line.startswith("- IDM-GRG "))
    assert noodles.endswith(": total 10 karton, harga tercapai Rp 122.000")
    sugar = next(line for line in shown if line.startswith("- GLP-50 "))
    assert sugar.endswith(
        ": total 3 karung, harga tercapai Rp 870.000, MOQ 5: tidak dipesan, kurang 2"
    )
    assert not any("lagi untuk" in line or "harga sekarang" in line for line in shown)
    assert shown[-2].startswith("Tidak memesan (18): ALIKHLAS, ")
    assert in_english[0].startswith("Round #1 “Desember” [closed], closed ")
    sugar = next(line for line in in_english if line.startswith("- GLP-50 "))
    assert sugar.endswith(": total 3 karung, price reached Rp 870.000, MOQ 5: not bought, 2 short")
    assert not any(" more for " in line or "price now" in line for line in in_english)


def test_round_show_of_a_cancelled_round_gives_no_next_price_either(cli: Cli) -> None:
    cli.ok("round", "cancel", "1")

    shown = cli.ok("round", "show", "1").splitlines()

    noodles = next(line for line in shown if line.startswith("- IDM-GRG "))
    assert noodles.endswith(": total 10 karton, harga tercapai Rp 122.000")
    assert shown[-1].startswith("Tidak memesan (19): ALIKHLAS, ")


def test_show_and_list_say_a_round_is_being_closed_since_when(cli: Cli) -> None:
    asyncio.run(_begin_closing(cli, at=cli.now + timedelta(minutes=30)))  # 08:30 WIB

    shown = cli.ok("round", "show", "1").splitlines()
    listed = cli.ok("round", "list").splitlines()
    in_english = cli.ok("--lang", "en", "round", "list").splitlines()

    assert shown[0] == (
        "Putaran #1 «Desember» [buka], sedang ditutup sejak Selasa, 1 Des 2026 08.30 WIB"
        " (batas waktu Sabtu, 5 Des 2026 17.00 WIB): pesanan tidak diterima lagi, rekap menyusul"
    )
    assert listed[1].startswith(
        "- #1  Desember  [buka]  sedang ditutup sejak Selasa, 1 Des 2026 08.30 WIB, "
    )
    assert "[open]  being closed since Tue, 1 Dec 2026 08:30 WIB, 25 products" in in_english[1]


async def _queued(cli: Cli) -> dict[DeliveryStatus, int]:
    """How many messages the outbox holds, by status."""
    async with open_database(cli.database) as db:
        return await delivery_counts(db)


async def _begin_closing(cli: Cli, at: datetime) -> None:
    async with open_database(cli.database) as db:
        await begin_closing(db, 1, at)
