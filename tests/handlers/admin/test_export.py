"""Dinas staff get a round's XLSX workbook in the chat with `/ekspor [ID]`."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

import tests.support.use_case_steps as steps
from bot.config import OfficeConfig
from bot.documents import RoundFiles
from bot.exports import sheet_words, workbook_writer
from handlers.contract.services import Services
from messages import Renderer
from messages.replies import FileKind, FileRequest
from purchasing.model import Round
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.chat import ChatUser
from tests.support.fixtures.telegram import bot_running, config_for
from tests.support.storage_builders import place_order, seed_open_round

ID = sheet_words("id")  # the words of an Indonesian reader


def with_workbooks(admin: ChatUser, out: Path) -> ChatUser:
    """The admin, with the services `bot.wiring.wire` builds: workbooks written to `out`."""
    services = replace(admin.services, round_workbook=workbook_writer(admin.services.db, out))
    return ChatUser(services, admin.renderer, admin.user_id, admin.display_name)


def sheet_names(path: Path) -> list[str]:
    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


async def test_admin_gets_the_closed_rounds_workbook_and_an_estimate_while_open(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    admin = with_workbooks(chat_admin, tmp_path / "exports")
    await place_order(admin.services.db, chat_round, "DT", "GLP-50", 12, now=chat_clock())

    [open_export] = await admin.send("/ekspor")
    estimate_text = admin.last_text
    await steps.close_round(admin.services.db, chat_round.id, chat_clock(), force=True)
    [closed_export] = await admin.send("/ekspor")  # no open round: the last closed one
    [by_id] = await admin.send(f"/export {chat_round.id}")

    assert open_export.template == "admin_export" and open_export.context["estimate"] is True
    assert "perkiraan" in estimate_text
    assert closed_export.context["estimate"] is False and "perkiraan" not in admin.last_text
    assert open_export.attachment is not None and closed_export.attachment is not None
    assert open_export.attachment.parent == tmp_path / "exports" / "perkiraan"  # apart from
    assert closed_export.attachment.parent == tmp_path / "exports"  # the workbook of the close
    for reply in (open_export, closed_export, by_id):
        assert reply.attachment is not None and reply.attachment.exists()
        assert ID.sheet_purchase_orders in sheet_names(reply.attachment)


async def test_each_admin_gets_the_workbook_in_their_own_language(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    rina = with_workbooks(chat_admin, tmp_path / "exports")
    db = rina.services.db
    await reps.add_admin(db, "telegram", "9002", "Mr John", "config", chat_clock())
    john = ChatUser(rina.services, rina.renderer, "9002", "Mr John", language_hint="en-GB")
    await place_order(db, chat_round, "DT", "GLP-50", 12, now=chat_clock())
    await steps.close_round(db, chat_round.id, chat_clock(), force=True)

    [for_john] = await john.send(f"/ekspor {chat_round.id}")
    [for_rina] = await rina.send(f"/ekspor {chat_round.id}")

    assert for_john.attachment is not None and for_rina.attachment is not None
    english = load_workbook(for_john.attachment)
    assert english.sheetnames == ["Overview", "Purchase Orders", "Bills", "Change Log", "Payments",
                                  "After Close"]  # fmt: skip
    assert [c.value for c in english["Purchase Orders"][1]][:3] == [
        "Supplier Code", "Supplier", "Product Code",
    ]  # fmt: skip
    indonesian = load_workbook(for_rina.attachment)
    assert indonesian.sheetnames[:4] == [
        "Ringkasan",
        "Pesanan Pembelian",
        "Tagihan",
        "Log Perubahan",
    ]
    assert [c.value for c in indonesian["Pesanan Pembelian"][1]][:3] == [
        "Kode Pemasok", "Pemasok", "Kode Produk",
    ]  # fmt: skip
    assert for_john.attachment == tmp_path / "exports" / "en" / for_rina.attachment.name
    assert for_rina.attachment.exists()  # one file per language: neither took the other's place


async def test_the_workbook_of_the_close_overview_is_in_each_recipients_language(
    chat_services: Services, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    await place_order(chat_services.db, chat_round, "DT", "GLP-50", 12, now=chat_clock())
    await steps.close_round(chat_services.db, chat_round.id, chat_clock(), force=True)
    files = RoundFiles(chat_services.db, tmp_path / "exports", OfficeConfig(), Renderer())
    attached = FileRequest(FileKind.WORKBOOK, chat_round.id)

    english = load_workbook(await files(attached, "en"))
    indonesian = load_workbook(await files(attached, "id"))

    assert english["Overview"]["B4"].value == "Closed"
    assert "BILL DT" in english.sheetnames
    assert indonesian["Ringkasan"]["B4"].value == "Ditutup"
    assert "TG DT" in indonesian.sheetnames


async def test_drafts_cancelled_and_unknown_rounds_have_nothing_to_export(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    admin = with_workbooks(chat_admin, tmp_path / "exports")
    now = chat_clock()
    later = chat_round.closes_at + timedelta(days=7)
    draft = await steps.create_round(admin.services.db, "April", now, later, [])
    await steps.cancel_round(admin.services.db, chat_round.id)

    draft_reply = await admin.send(f"/ekspor {draft.id}")
    cancelled = await admin.send(f"/ekspor {chat_round.id}")
    unknown = await admin.send("/ekspor 999")
    nothing = await admin.send("/ekspor")

    assert [r.template for r in draft_reply + cancelled] == ["admin_export_none"] * 2
    assert [r.template for r in unknown] == ["errors/unknown_round"]
    assert [r.template for r in nothing] == ["admin_no_open_round"]
    assert all(r.attachment is None for r in draft_reply + cancelled + unknown + nothing)
    assert not (tmp_path / "exports").exists()


async def test_a_round_number_that_is_not_digits_is_explained_with_an_example(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    exported = await chat_admin.send("/ekspor abc")
    exported_text = chat_admin.last_text
    recapped = await chat_admin.send("/rekap tiga")

    assert [r.template for r in exported + recapped] == ["errors/round_number_not_digits"] * 2
    assert exported_text.startswith("Nomor putaran ditulis dengan angka, bukan «abc»")
    assert "misalnya /ekspor 3" in exported_text and "tidak ditemukan" not in exported_text
    assert "misalnya /rekap 3" in chat_admin.last_text


async def test_without_a_place_for_files_the_admin_is_told_the_command_line(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    replies = await chat_admin.send("/ekspor")

    assert [r.template for r in replies] == ["admin_export_unavailable"]
    assert f"belanja-bareng export {chat_round.id}" in chat_admin.last_text


async def test_a_treasurer_cannot_export(chat_treasurer: ChatUser, chat_round: Round) -> None:
    replies = await chat_treasurer.send("/ekspor")

    assert [r.template for r in replies] == ["errors/not_admin"]


async def test_on_telegram_the_workbook_arrives_as_a_document(
    fake_telegram: FakeTelegram, bot_services: Services, bot_clock: Clock, tmp_path: Path
) -> None:
    round_ = await seed_round_with_admin(bot_services, bot_clock)
    services = replace(
        bot_services, round_workbook=workbook_writer(bot_services.db, tmp_path / "exports")
    )
    rina = fake_telegram.user(9001, "Rina")

    async with bot_running(config_for(fake_telegram, bot_services.db.path), services):
        await fake_telegram.send_text(rina, f"/ekspor {round_.id}")
        call = await fake_telegram.wait_for_call("sendDocument")

    assert call.ok and str(call.params.get("chat_id")) == "9001"
    assert fake_telegram.errors == []


async def seed_round_with_admin(services: Services, clock: Clock) -> Round:
    await reps.add_admin(services.db, "telegram", "9001", "Rina", "config", clock())
    return await seed_open_round(services.db)
