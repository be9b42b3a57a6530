"""A whole round on WhatsApp, from the orders to the last bill paid, through the webhook and
the fake Graph API.

Bu Siti (DT) orders sugar from Bulog and noodles from Indofood, Pak Dedi (KKPITB) only sugar.
At the close everyone is outside the 24-hour window and gets a template; each opens it.
Bulog ships 5 of the 10 sacks (shared 3 and 2), Indofood all. Siti taps "all arrived"; one
of Dedi's 2 sacks did not come, he types `/terima`. Each sends a photo of the transfer, Mbak
Rina (Dinas) presses Lunas on each, and the round's menu says it is settled.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Config
from handlers.contract.services import Services
from messages.formatting import rupiah
from purchasing.model import Rep, RepRole, Round
from purchasing.settlement import AfterClose
from storage import payments
from storage.people import reps
from storage.supply import settlement_progress
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser, Sent
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.fake_graph.phone import Phone, carrying
from usecases.sweeps import close_due_rounds

SITI = FakeUser("6281234500001", "Bu Siti")  # treasurer of DT
DEDI = FakeUser("6281234500002", "Pak Dedi")  # treasurer of KKPITB
JOKO = FakeUser("6281234500007", "Pak Joko")  # Bulog's rep
LINA = FakeUser("6281234500008", "Bu Lina")  # Indofood's rep
RINA = FakeUser("6281234500009", "Mbak Rina")  # Dinas staff

# examples/produk.csv: GLP-50 "1:870000; 10:855000; 30:840000" (10 sacks ordered in all, the
# price reached at the close stays after a shortage); IDM-GRG "1:122000; 30:119000; ...".
SUGAR, NOODLES = 855_000, 122_000
DT_AT_CLOSE = 6 * SUGAR + 5 * NOODLES
DT_BILL = 3 * SUGAR + 5 * NOODLES  # Bulog shipped 5 of 10 sacks: DT 6 → 3
KKPITB_SHIPPED = 2 * SUGAR  # KKPITB 4 → 2
KKPITB_BILL = 1 * SUGAR  # and one of the two did not arrive
ALL_ARRIVED = "📦 Semua diterima"  # fits the 20 characters of a WhatsApp reply button
ROUND_BUTTON = "#1 Belanja Bareng D…"  # a list row title: 20 characters at most on WhatsApp


@pytest.fixture
async def whatsapp_round(chat_services: Services, chat_clock: Clock, chat_round: Round) -> Round:
    """The open round; its treasurers, suppliers' reps and admin are all on WhatsApp."""
    db, now = chat_services.db, chat_clock()
    await reps.add_rep(db, Rep("whatsapp", SITI.wa_id or "", "DT", display_name=SITI.name), now)
    await reps.add_rep(db, Rep("whatsapp", DEDI.wa_id or "", "KKPITB", display_name=DEDI.name), now)
    for user, supplier in ((JOKO, "BULOG"), (LINA, "INDOFOOD")):
        rep = Rep("whatsapp", user.wa_id or "", supplier, RepRole.SUPPLIER, user.name)
        await reps.add_rep(db, rep, now)
    await reps.add_admin(db, "whatsapp", RINA.wa_id or "", RINA.name, "config", now)
    return chat_round


def template_named(messages: list[Sent], name: str) -> Sent:
    [found] = [message for message in messages if message.template.get("name") == name]
    return found


async def round_menu(rina: Phone) -> str:
    """What the admin reads in the round's menu: `/putaran`, then the round's button."""
    listed = await rina.write("/putaran")
    [menu] = await rina.tap(carrying(listed, ROUND_BUTTON), ROUND_BUTTON)
    return menu.text


async def test_two_coops_order_receive_and_pay_and_the_round_is_settled_on_whatsapp(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    whatsapp_round: Round,
    fake_graph: FakeGraph,
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        siti, dedi, joko, lina, rina = (
            Phone(user, bot, fake_graph) for user in (SITI, DEDI, JOKO, LINA, RINA)
        )
        [siti_order] = await siti.write("GLP-50 6\nIDM-GRG 5")
        [dedi_order] = await dedi.write("GLP-50 4")
        await bot.drain()  # the minimum order and the price reached, told to both

        # The close: outside their 24-hour window, each person gets a template to open.
        chat_clock.advance(timedelta(days=3, minutes=1))
        assert len(await close_due_rounds(chat_services, chat_clock())) == 1
        await bot.drain()
        bill_template = template_named(siti.unread(), "belanja_tagihan")
        await siti.open(bill_template)
        await dedi.open(template_named(dedi.unread(), "belanja_tagihan"))
        [bulog_template] = joko.unread()
        await joko.open(bulog_template)
        [indofood_template] = lina.unread()
        await lina.open(indofood_template)
        at_close = await round_menu(rina)
        await bot.drain()
        [siti_bill] = [m for m in siti.unread() if m.type == "document"]
        [dedi_bill] = [m for m in dedi.unread() if m.type == "document"]
        [bulog_order] = [m for m in joko.unread() if m.type == "document"]
        [indofood_order] = [m for m in lina.unread() if m.type == "document"]
        [overview] = [m for m in rina.unread() if m.type == "document"]

        # The suppliers confirm: Bulog ships 5 of the 10 sacks tomorrow, Indofood all.
        [bulog_done] = await joko.write("/konfirmasi besok\nGLP-50 5")
        await bot.drain()
        [siti_revised] = siti.unread()
        [dedi_revised] = dedi.unread()
        [rina_told] = rina.unread()
        [indofood_done] = await lina.write("/konfirmasi lusa")
        await bot.drain()
        [siti_scheduled] = siti.unread()
        ordered = await round_menu(rina)

        # The delivery day: Siti taps the button, Dedi says one sack did not come.
        chat_clock.advance(timedelta(days=2))
        [siti_received] = await siti.tap(siti_scheduled, ALL_ARRIVED)
        [dedi_received] = await dedi.write("/terima\nGLP-50 1")
        await bot.drain()
        [shortfall_template] = joko.unread()  # Pak Joko last wrote two days ago
        await joko.open(shortfall_template)
        delivered = await round_menu(rina)  # Rina writes again: her window opens
        await bot.drain()
        [bulog_told] = joko.unread()
        [rina_shortfall] = rina.unread()  # held while her window was closed

        # The payments: a photo of each transfer; Rina presses Lunas on each.
        [owing] = await rina.write("/pembayaran")
        [how_to_pay] = await siti.write("/bayar")
        siti_photo = fake_graph.media.add(b"\xff\xd8\xff\xe0 transfer DT", "image/jpeg")
        dedi_photo = fake_graph.media.add(b"\x89PNG transfer KKPITB", "image/png")
        [siti_proof_taken] = await siti.send_picture(siti_photo)
        [dedi_proof_taken] = await dedi.send_picture(dedi_photo)
        await bot.drain()
        proofs = rina.unread()
        dt_lunas, kkpitb_lunas = f"✅ Lunas {rupiah(DT_BILL)}", f"✅ Lunas {rupiah(KKPITB_BILL)}"
        [dt_verified] = await rina.tap(carrying(proofs, dt_lunas), dt_lunas)
        [kkpitb_verified] = await rina.tap(carrying(proofs, kkpitb_lunas), kkpitb_lunas)
        await bot.drain()
        [siti_paid] = siti.unread()
        [dedi_paid] = dedi.unread()
        [nothing_owed] = await rina.write("/pembayaran")
        settled = await round_menu(rina)

    # Ordering, and the documents of the close.
    assert "0 → *6* karung" in siti_order.text and "0 → *5* karton" in siti_order.text
    assert "0 → *4* karung" in dedi_order.text
    assert bill_template.template["components"][0]["parameters"][2]["text"] == rupiah(DT_AT_CLOSE)
    assert siti_bill.body["document"]["filename"] == f"tagihan-{whatsapp_round.id}-DT.pdf"
    assert f"Total: *{rupiah(DT_AT_CLOSE)}*" in siti_bill.text
    assert f"Total: *{rupiah(4 * SUGAR)}*" in dedi_bill.text
    assert f"10 karung × {rupiah(SUGAR)}" in bulog_order.text
    assert f"5 karton × {rupiah(NOODLES)}" in indofood_order.text
    assert overview.body["document"]["filename"].endswith(".xlsx")
    assert "*Rekap akhir Putaran Belanja Bareng Desember* (#1)" in overview.text
    assert "Setelah ditutup: surat pesanan terkirim. Pemasok konfirmasi 0/2" in at_close

    # Bulog's shortage is shared out; the button comes once every supplier named its day.
    assert (
        "dikonfirmasi, pengiriman Sabtu, 5 Des 2026" in bulog_done.text
        and "5 dari 10" in bulog_done.text
    )
    assert "6 → *3 karung*" in siti_revised.text and siti_revised.choices == {}
    assert f"Total tagihan sekarang: *{rupiah(DT_BILL)}*" in siti_revised.text
    assert "4 → *2 karung*" in dedi_revised.text
    assert f"Total tagihan sekarang: *{rupiah(KKPITB_SHIPPED)}*" in dedi_revised.text
    assert dedi_revised.choices == {ALL_ARRIVED: f"ra:{whatsapp_round.id}:KKPITB"}
    assert "Kurang:" in rina_told.text and "5 dari 10" in rina_told.text
    assert "Semua dikirim lengkap" in indofood_done.text
    assert siti_scheduled.choices == {ALL_ARRIVED: f"ra:{whatsapp_round.id}:DT"}
    assert "• Perum Bulog Kanwil Jawa Barat: Sabtu, 5 Des 2026" in siti_scheduled.text
    assert (
        "• PT Indofood Sukses Makmur (distributor Bandung): Minggu, 6 Des 2026"
        in siti_scheduled.text
    )
    assert "Setelah ditutup: dipesan (semua pemasok konfirmasi)" in ordered

    # What arrived is what is billed; Bulog hears what did not arrive.
    assert "semua sesuai pesanan" in siti_received.text and rupiah(DT_BILL) in siti_received.text
    assert "diterima 1 dari 2 karung" in dedi_received.text
    assert f"Total tagihan: *{rupiah(KKPITB_BILL)}*" in dedi_received.text
    for told in (bulog_told, rina_shortfall):
        assert "*Koperasi Keluarga Pegawai (KKP) ITB* (KKPITB) menerima barang" in told.text
        assert "diterima 1 dari 2" in told.text
    assert "Setelah ditutup: diterima (semua koperasi konfirmasi)" in delivered

    # Paid by proof of transfer, verified by the admin.
    assert "TG-001-DT" in owing.text and "TG-001-KKPITB" in owing.text
    assert f"sisa *{rupiah(DT_BILL)}*" in owing.text
    assert f"sisa *{rupiah(KKPITB_BILL)}*" in owing.text
    assert "```TG-001-DT```" in how_to_pay.text and rupiah(DT_BILL) in how_to_pay.text
    assert "Bukti transfer diterima" in siti_proof_taken.text
    assert "TG-001-KKPITB" in dedi_proof_taken.text
    assert fake_graph.media.downloads == [siti_photo.id, dedi_photo.id]
    shown = [m.text for m in proofs if m.type == "document"]  # each photo, for Rina to see
    assert [("TG-001-DT" in text, "TG-001-KKPITB" in text) for text in shown] == [
        (True, False),
        (False, True),
    ]
    assert "TG-001-DT" in dt_verified.text and "lunas" in dt_verified.text
    assert "TG-001-KKPITB" in kkpitb_verified.text and "lunas" in kkpitb_verified.text
    for paid, amount in ((siti_paid, DT_BILL), (dedi_paid, KKPITB_BILL)):
        assert f"*Pembayaran diterima*: {rupiah(amount)}" in paid.text
        assert "Tagihan ini sudah *lunas*" in paid.text
    assert "Semua tagihan putaran yang ditutup sudah lunas" in nothing_owed.text
    assert "Setelah ditutup: lunas. Pemasok konfirmasi 2/2, koperasi terima barang 2/2" in settled
    assert "tagihan lunas 2/2" in settled
    assert fake_graph.refused == []

    db = chat_services.db
    progress = await settlement_progress(db, whatsapp_round.id)
    assert progress.stage is AfterClose.SETTLED
    bills = await payments.bills_due(db, whatsapp_round.id)
    assert {bill.coop_code: (bill.total, bill.paid, bill.balance) for bill in bills} == {
        "DT": (DT_BILL, DT_BILL, 0),
        "KKPITB": (KKPITB_BILL, KKPITB_BILL, 0),
    }
