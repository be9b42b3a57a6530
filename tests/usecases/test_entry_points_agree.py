"""One rule, every entry point: the chat (Telegram's conversation), WhatsApp, the console demo
and the command line call the same use case for the same intent, so they answer alike.

A. After "Ketik jumlah", a number the round cannot take ("-3", "1,5") is explained and the
   question stays open. B. A round whose deadline is before its opening, or already past, is
   refused when it is created. C. An order that takes a product to its minimum posts progress
   to the group, however it was placed. D. A bank statement records the same payments from
   the command line as sent in the chat.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from bot.config import Config, OfficeConfig
from handlers.contract.services import Services
from messages.outbox_codec import decode_reply
from purchasing.model import Round
from purchasing.settlement import Payee
from storage import rounds
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import OutboxMessage
from tests.support import EXAMPLES
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.fixtures.chat import ChatUser, quantities
from tests.support.fixtures.cli import Cli
from tests.support.fixtures.console import after_prompt, run
from usecases import people

QUANTITY_REFUSED = "tidak bisa dipakai: tulis bilangan bulat 0 sampai 100.000"
SITI = FakeUser("6281234500001", "Bu Siti")


# A. A typed quantity the round cannot take


async def test_chat_treasurer_types_minus_3_then_1_5_is_told_why_and_then_types_4(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.press(f"t:{chat_round.id}:IDM-GRG")

    negative = await chat_treasurer.send("-3")
    fraction = await chat_treasurer.send("1,5")
    nothing_yet = await quantities(chat_services.db, chat_round.id)
    taken = await chat_treasurer.send("4")

    assert [r.template for r in negative + fraction] == ["errors/quantity_invalid"] * 2
    assert nothing_yet == {}
    assert [r.template for r in taken] == ["catalog_product"]
    assert await quantities(chat_services.db, chat_round.id) == {("DT", "IDM-GRG"): 4}


async def test_console_treasurer_types_minus_3_after_ketik_jumlah_and_then_6(
    tmp_path: Path,
) -> None:
    demo = await run(tmp_path, [":jadi 2", "/katalog", "1", "4", "-3", "6"])

    assert QUANTITY_REFUSED in after_prompt(demo.out, "Bu Rina> -3")
    assert "belum mengerti" not in after_prompt(demo.out, "Bu Rina> -3")
    async with open_database(demo.database) as db:
        ordered = await rounds.round_with_totals(db, 1)
    assert ordered[1] == {"BRS-SPHP50": 6}


async def test_whatsapp_treasurer_types_1_5_after_ketik_jumlah_and_then_7(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    chat_round: Round,
    fake_graph: FakeGraph,
) -> None:
    invite = await steps.create_invite(chat_services.db, "DT", "telegram:9001", chat_clock())
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text(f"/start {invite.code}"))
        await bot.send(SITI.press(f"t:{chat_round.id}:GLP-50:DT"))
        await bot.send(SITI.text("1,5"))
        refused = fake_graph.messages_to(SITI.wa_id or "")[-1].text
        await bot.send(SITI.text("7"))

    assert QUANTITY_REFUSED in refused
    ordered = await quantities(chat_services.db, chat_round.id)
    assert ordered == {("DT", "GLP-50"): 7}


# B. A round that could never open


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = Cli(tmp_path, capsys)
    cli.prepared()
    return cli


def test_cli_refuses_a_round_that_closes_before_it_opens(cli: Cli) -> None:
    message = cli.failed(
        "round", "create", "--name", "Desember", "--opens", "2030-12-05 17:00",
        "--closes", "2030-12-01 08:00",
    )  # fmt: skip

    assert "harus sesudah waktu bukanya" in message
    assert cli.counts().rounds == ()


def test_cli_refuses_a_round_entirely_in_the_past(cli: Cli) -> None:
    message = cli.failed(
        "round", "create", "--name", "November", "--opens", "2026-11-01 08:00",
        "--closes", "2026-11-05 17:00",
    )  # fmt: skip

    assert "sudah lewat" in message
    assert cli.counts().rounds == ()


async def test_chat_refuses_a_draft_entirely_in_the_past(chat_admin: ChatUser) -> None:
    replies = await chat_admin.send("/putaran draf November | 2026-11-01 08:00 | 2026-11-05 17:00")

    assert [r.template for r in replies] == ["errors/open_after_deadline"]
    assert await rounds.list_rounds(chat_admin.services.db) == []


async def test_console_admin_is_refused_a_draft_that_closes_before_it_opens(
    tmp_path: Path,
) -> None:
    line = "/putaran draf X | 2026-12-10 08:00 | 2026-12-09 17:00"
    demo = await run(tmp_path, [line])

    assert "harus sesudah waktu bukanya" in after_prompt(demo.out, f"Bu Sari> {line}")
    async with open_database(demo.database) as db:
        assert [r.name for r in await rounds.list_rounds(db)] != ["X"]
        assert len(await rounds.list_rounds(db)) == 1  # the demo's own round


# C. An order reaching a product's minimum posts progress, however it was placed


def test_cli_order_reaching_the_sugar_minimum_posts_progress_to_the_group(cli: Cli) -> None:
    cli.ok("round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    asyncio.run(_link_group(cli, "-100500"))

    cli.ok("order", "1", "DT", "GLP-50", "3")
    cli.ok("order", "1", "KKPITB", "GLP-50", "2")  # 5 karung: the minimum

    posts = asyncio.run(_progress_posts(cli))
    assert [(m.chat_id, decode_reply(m.payload).context["milestone"]) for m in posts] == [
        ("-100500", "moq")
    ]


async def _link_group(cli: Cli, chat_id: str) -> None:
    """An admin's `/hubungkan` in the group (there is no command line for it)."""
    async with open_database(cli.database) as db:
        await people.link_group(steps.acting_at(db, cli.now), "telegram", chat_id, "test")


async def _progress_posts(cli: Cli) -> list[OutboxMessage]:
    async with open_database(cli.database) as db:
        return [m for m in await outbox.due_messages(db, cli.now) if m.kind == "progress"]


async def test_console_staff_order_reaching_the_sugar_minimum_posts_progress(
    tmp_path: Path,
) -> None:
    demo = await run(tmp_path, ["/pesankan DT GLP-50 5", ":jadi 6"])

    assert "Gula pasir kristal putih 50 kg" in after_prompt(demo.out, "Bu Sari> :jadi 6")


# D. A bank statement, imported on the server or sent in the chat


PAYING_SUPPLIERS = '[office]\npayee = "supplier"\n'
KOPERTIS4_PAID = (
    "Rp 1.464.000 untuk TG-001-KOPERTIS4-BULOG (Koperasi Karyawan Kopertis Wilayah IV), "
    "sisa Rp 6.576.000"
)
DT_WHICH_SUPPLIER = "TG-001-DT-BULOG, TG-001-DT-INDOFOOD"


def december_statement(tmp_path: Path) -> Path:
    """Two transfers quoting the bill numbers as an office-paid round writes them."""
    path = tmp_path / "mutasi-desember.csv"
    path.write_text(
        "tanggal,keterangan,jumlah\n"
        "01/12/2026,SWITCHING CR TRF BANK BJB TG-001-KOPERTIS4 DEDI SUPRIADI,1.464.000\n"
        "01/12/2026,TRSF E-BANKING CR TG-001-DT SITI AMINAH,12.800.000\n",
        encoding="utf-8",
    )
    return path


def test_cli_import_in_a_round_paying_suppliers_books_kopertis4_and_asks_about_dt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys, PAYING_SUPPLIERS)
    cli.with_open_round()
    cli.ok("order", "1", "--file", str(EXAMPLES / "pesanan-contoh.csv"))
    cli.ok("round", "close", "1")

    imported = cli.ok("payments", "import", str(december_statement(tmp_path)))

    assert f"- baris 2: {KOPERTIS4_PAID}\n" in imported
    assert "tanpa kode pemasok" in imported and f"SITI AMINAH»: {DT_WHICH_SUPPLIER}\n" in imported


async def test_console_admin_sending_the_same_statement_gets_the_same_payments(
    tmp_path: Path,
) -> None:
    """The demo closes its own round with the config's payee, as the command line's round
    closed with it: the same file records the same payment."""
    config = Config(office=OfficeConfig(payee=Payee.SUPPLIER))
    close_now = ["/putaran", "1", "2", "1"]
    sent = f":kirim {december_statement(tmp_path)}"

    demo = await run(tmp_path, [":kirim pesanan-contoh.csv", *close_now, sent], config=config)

    answer = after_prompt(demo.out, f"Bu Sari> {sent}")
    assert "1 pembayaran dicatat" in answer and f"- baris 2: {KOPERTIS4_PAID}\n" in answer
    assert "tanpa kode pemasok" in answer and f"SITI AMINAH»: {DT_WHICH_SUPPLIER}\n" in answer
