"""A supplier's rep (Bulog's) is invited by the Dinas, joins by deep link, receives Bulog's
purchase order at close, and is politely told that only coops order."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from messages import Renderer
from purchasing.model import Coop, Rep, RepRole, Round
from storage.commitment_reads import audit_log
from storage.database import open_database
from storage.people import invites, reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button, payloads, quantities
from tests.support.fixtures.cli import Cli
from tests.support.fixtures.schedule import queued, rendered
from tests.support.use_case_steps import import_catalog
from usecases.sweeps import close_due_rounds

START_CODE = re.compile(r"/start ([A-Za-z0-9_-]+)")
BOT_LINK = "https://t.me/BelanjaBarengBot?start={code}"
BULOG = "Perum Bulog Kanwil Jawa Barat"
DT_ADDRESS = "Jl. Gegerkalong Girang No. 38, Kec. Sukasari, Bandung"
ITB_ADDRESS = "Jl. Ganesa No. 10, Kec. Coblong, Bandung"


@pytest.fixture
def pak_joko(chat_services: Services, chat_renderer: Renderer) -> ChatUser:
    """Pak Joko, who works for Bulog and has not joined yet."""
    return ChatUser(chat_services, chat_renderer, "7001", "Pak Joko")


async def invite_and_join(admin: ChatUser, rep: ChatUser) -> str:
    """The admin invites a rep for Bulog, the rep opens the deep link: the invite code."""
    created = await admin.send("/undang bulog 1")
    assert [reply.template for reply in created] == ["admin_invite_created_supplier"]
    code = str(created[0].context["code"])
    joined = await rep.send(f"/start {code}")  # what Telegram sends for the deep link
    assert [reply.template for reply in joined] == ["join_supplier_done"]
    return code


async def test_admin_invites_bulogs_rep_who_joins_by_deep_link_and_gets_the_purchase_order(
    chat_services: Services,
    chat_renderer: Renderer,
    chat_admin: ChatUser,
    chat_treasurer: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
    pak_joko: ChatUser,
) -> None:
    services = replace(chat_services, deep_links={"telegram": BOT_LINK})
    admin = ChatUser(services, chat_renderer, chat_admin.user_id, chat_admin.display_name)
    created = await admin.send("/undang bulog 1")

    assert [reply.template for reply in created] == ["admin_invite_created_supplier"]
    code = str(created[0].context["code"])
    assert f"pemasok {BULOG} (BULOG)" in admin.last_text
    assert BOT_LINK.format(code=code) in admin.last_text
    assert "akan menerima surat pesanan" in admin.last_text
    invite = await invites.get_invite(services.db, code)
    assert invite is not None
    assert (invite.coop_code, invite.role, invite.max_uses) == ("BULOG", RepRole.SUPPLIER, 1)

    joined = await pak_joko.send(f"/start {code}")

    assert [reply.template for reply in joined] == ["join_supplier_done"]
    assert f"perwakilan pemasok {BULOG} (BULOG)" in pak_joko.last_text
    assert "Saat putaran ditutup, Anda akan menerima surat pesanan" in pak_joko.last_text
    assert await reps.reps_for_user(services.db, "telegram", "7001") == [
        Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER, "Pak Joko")
    ]
    used = await invites.get_invite(services.db, code)
    assert used is not None and used.uses == 1

    itb = ChatUser(services, chat_renderer, "5003", "Pak Dedi")
    await reps.add_rep(services.db, Rep("telegram", "5003", "KKPITB"), chat_clock())
    await chat_treasurer.send("GLP-50 3")
    await itb.send("GLP-50 4\nIDM-GRG 2")
    await close_due_rounds(services, chat_round.closes_at)

    to_joko = [m for m in await queued(services.db) if m.chat_id == "7001"]
    assert [m.kind for m in to_joko] == ["summary_purchase_order"]
    order = rendered(to_joko[0], chat_renderer)
    assert f"Surat pesanan untuk {BULOG}" in order
    assert "Gula pasir kristal putih 50 kg (GLP-50): 7 karung × Rp 870.000" in order
    assert f"– Kopontren Daarut Tauhid (DT): 3 karung, {DT_ADDRESS}" in order
    assert f"– Koperasi Keluarga Pegawai (KKP) ITB (KKPITB): 4 karung, {ITB_ADDRESS}" in order
    assert "Indomie" not in order  # Indofood's products are on Indofood's order


async def test_a_supplier_rep_who_tries_to_order_is_told_politely_and_nothing_changes(
    chat_services: Services,
    chat_admin: ChatUser,
    chat_round: Round,
    pak_joko: ChatUser,
) -> None:
    await invite_and_join(chat_admin, pak_joko)

    typed = await pak_joko.send("BRS-SPHP50 10")
    assert [reply.template for reply in typed] == ["join_supplier_only"]
    assert "tidak bisa memesan: pemesanan dilakukan oleh pengurus koperasi" in pak_joko.last_text
    assert f"{BULOG} (BULOG)" in pak_joko.last_text
    for text in ("BRS5 10", "/pesan GLP-50 2", "/pesanan", "/koperasi", "/start"):
        replies = await pak_joko.send(text)
        assert [reply.template for reply in replies] == ["join_supplier_only"], text

    catalog = await pak_joko.send("/katalog")
    assert [reply.template for reply in catalog] == ["catalog_page"]  # prices are no secret
    product = await pak_joko.press(button(catalog, f"p:{chat_round.id}:GLP-50"))
    assert payloads(product) == [f"k:{chat_round.id}:0"]  # back to the catalog, no quantities
    assert "Total semua koperasi: 0 karung" in pak_joko.last_text

    assert await quantities(chat_services.db, chat_round.id) == {}
    assert await audit_log(chat_services.db, chat_round.id) == []


async def test_a_supplier_rep_typing_a_treasurers_command_is_shown_what_a_supplier_does(
    chat_admin: ChatUser, chat_round: Round, pak_joko: ChatUser
) -> None:
    await invite_and_join(chat_admin, pak_joko)

    received = await pak_joko.send("/terima")
    received_text = pak_joko.last_text
    paying = await pak_joko.send("/bayar")
    paying_text = pak_joko.last_text

    assert [reply.template for reply in received + paying] == ["join_supplier_only"] * 2
    assert "/terima dipakai bendahara koperasi untuk mengonfirmasi barang" in received_text
    assert "/bayar dipakai bendahara koperasi untuk membayar tagihan" in paying_text
    for text in (received_text, paying_text):
        assert f"perwakilan pemasok {BULOG} (BULOG)" in text
        assert "/konfirmasi TANGGAL" in text and "/tagihan" in text
        assert "memesan" not in text


async def test_a_supplier_rep_asking_for_help_sees_the_suppliers_commands(
    chat_admin: ChatUser, pak_joko: ChatUser
) -> None:
    await invite_and_join(chat_admin, pak_joko)

    helped = await pak_joko.send("/bantuan")

    assert [reply.template for reply in helped] == ["help"]
    assert "/konfirmasi TANGGAL" in pak_joko.last_text and "/tagihan" in pak_joko.last_text
    assert "belum terdaftar" not in pak_joko.last_text
    assert "/pesan" not in pak_joko.last_text


async def test_a_code_that_is_both_a_coop_and_a_supplier_is_refused_and_no_invite_is_made(
    chat_services: Services, chat_admin: ChatUser
) -> None:
    await import_catalog(chat_services.db, [Coop("BULOG", "Koperasi Karyawan Bulog")])

    invited = await chat_admin.send("/undang BULOG")
    listed = await chat_admin.send("/pengurus bulog")

    assert [reply.template for reply in invited] == ["errors/code_ambiguous"]
    assert "koperasi Koperasi Karyawan Bulog dan juga oleh pemasok" in chat_admin.last_text
    assert [reply.template for reply in listed] == ["errors/code_ambiguous"]
    assert await invites.list_invites(chat_services.db) == []


async def test_admin_sees_bulogs_reps_with_pengurus_and_removes_one(
    chat_admin: ChatUser, pak_joko: ChatUser
) -> None:
    await invite_and_join(chat_admin, pak_joko)

    listed = await chat_admin.send("/pengurus bulog")

    assert [reply.template for reply in listed] == ["admin_reps_supplier"]
    assert f"Perwakilan pemasok {BULOG} (BULOG)" in chat_admin.last_text
    assert "• Pak Joko — telegram:7001" in chat_admin.last_text
    removed = await chat_admin.press(button(listed, "ad:BULOG:telegram:7001"))

    assert [reply.template for reply in removed] == ["admin_reps_supplier"]
    assert (
        "Pak Joko tidak lagi mewakili Perum Bulog Kanwil Jawa Barat (BULOG)" in chat_admin.last_text
    )
    assert await reps.reps_for_coop(chat_admin.services.db, "BULOG") == []
    assert [r.template for r in await pak_joko.send("/start")] == ["join_welcome"]


async def test_an_invite_made_before_supplier_invites_existed_still_makes_a_treasurer(
    tmp_path: Path, chat_clock: Clock
) -> None:
    path = tmp_path / "v6.db"
    async with open_database(path, migrate_to=6) as old_db:
        await old_db.execute("INSERT INTO coops (code, name) VALUES ('DT', 'Daarut Tauhid')")
        await old_db.execute(
            "INSERT INTO invites (code, coop_code, max_uses, uses, created_by, created_at) "
            "VALUES ('lama', 'DT', 3, 1, 'telegram:9001', '2026-11-01T01:00:00.000000+00:00')"
        )

    async with open_database(path) as db:
        old = await invites.get_invite(db, "lama")
        rep = await steps.redeem_invite(db, "lama", "telegram", "5001", "Bu Siti", chat_clock())
        after = await invites.get_invite(db, "lama")

    assert old is not None and (old.coop_code, old.role, old.max_uses) == (
        "DT", RepRole.TREASURER, 3,
    )  # fmt: skip
    assert old.created_by == "telegram:9001" and old.uses == 1
    assert rep == Rep("telegram", "5001", "DT", RepRole.TREASURER, "Bu Siti")
    assert after is not None and after.uses == 2


def test_staff_create_a_supplier_invite_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.prepared()

    printed = cli.ok("invites", "create", "bulog", "--max-uses", "1")

    assert printed.startswith(f"Kode undangan untuk perwakilan pemasok {BULOG} (BULOG):")
    assert "akan menerima surat pesanan" in printed
    code = START_CODE.findall(printed)[0]
    assert f"- {code}  BULOG [pemasok]  dipakai 0 dari 1 kali  berlaku" in cli.ok("invites", "list")
    assert f"- {code}  BULOG [pemasok]" in cli.ok("invites", "list", "bulog")
    assert "TIDAKADA" in cli.failed("invites", "create", "tidakada")
    assert "TIDAKADA" in cli.failed("invites", "list", "tidakada")
    assert f"Pengurus {BULOG} (BULOG):\nBelum ada." in cli.ok("reps", "list", "bulog")


async def test_bulogs_rep_sees_bulog_in_saya(chat_admin: ChatUser, pak_joko: ChatUser) -> None:
    await invite_and_join(chat_admin, pak_joko)

    shown = await pak_joko.send("/saya")

    assert [reply.template for reply in shown] == ["admin_whoami"]
    assert "Perwakilan pemasok: BULOG" in pak_joko.last_text
    assert "Belum terdaftar" not in pak_joko.last_text


async def test_a_treasurer_joining_with_bulogs_invite_is_told_she_now_acts_for_bulog_too(
    chat_admin: ChatUser, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    created = await chat_admin.send("/undang bulog 1")

    joined = await chat_treasurer.send(f"/start {created[0].context['code']}")
    joined_text = chat_treasurer.last_text
    await chat_treasurer.send("/saya")

    assert [reply.template for reply in joined] == ["join_supplier_done"]
    assert f"perwakilan pemasok {BULOG} (BULOG)" in joined_text
    assert "Anda tetap pengurus Kopontren Daarut Tauhid (DT)" in joined_text
    assert "tidak perlu memesan" not in joined_text
    assert "Pengurus koperasi: DT" in chat_treasurer.last_text
    assert "Perwakilan pemasok: BULOG" in chat_treasurer.last_text


async def test_bulogs_rep_reads_the_catalog_without_being_asked_to_order(
    chat_admin: ChatUser, chat_round: Round, pak_joko: ChatUser
) -> None:
    await invite_and_join(chat_admin, pak_joko)

    catalog = await pak_joko.send("/katalog")
    catalog_text = pak_joko.last_text
    found = await pak_joko.send("/cari gula")

    assert [reply.template for reply in catalog + found] == ["catalog_page", "catalog_search"]
    assert button(catalog, f"p:{chat_round.id}:GLP-50")  # a product's details, for reading
    for text in (catalog_text, pak_joko.last_text):
        assert "Pilih produk di bawah untuk melihat rinciannya." in text
        assert "Pemesanan dilakukan oleh pengurus koperasi." in text
        assert "lalu jumlahnya" not in text
    assert "Koperasi memesan paling lambat" in catalog_text
