"""Dinas staff watch a round with /rekap; nobody else gets admin answers or admin powers."""

from __future__ import annotations

from datetime import timedelta

import tests.support.use_case_steps as steps
from purchasing.model import Round, RoundStatus
from storage import rounds
from storage.commitment_reads import audit_log
from storage.people import preferences
from tests.support.builders import make_coop
from tests.support.clock import Clock
from tests.support.fixtures.admin import outbox_total
from tests.support.fixtures.chat import ChatUser, payloads, quantities
from tests.support.storage_builders import begin_closing
from tests.support.use_case_steps import import_catalog, set_commitment


async def _order(user: ChatUser, round_: Round, coop: str, code: str, quantity: int) -> None:
    await set_commitment(
        user.services.db, round_id=round_.id, coop_code=coop, product_code=code,
        quantity=quantity, actor="telegram:5001", via="telegram:5001", now=user.services.now(),
    )  # fmt: skip


async def test_admin_sees_the_headline_what_needs_attention_and_who_has_not_ordered_by_name(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await _order(chat_admin, chat_round, "DT", "GLP-50", 12)
    await _order(chat_admin, chat_round, "KOPERTIS4", "GLP-50", 14)
    await _order(chat_admin, chat_round, "KKPITB", "BRS-SPHP50", 10)

    replies = await chat_admin.send("/rekap")

    assert [reply.template for reply in replies] == ["admin_recap"]
    text = chat_admin.last_text
    assert text.index("Sudah memesan: 3 dari 20 koperasi") < text.index("Perlu perhatian")
    # 26 sugar at Rp 855.000 is sure; 10 rice wait for their minimum of 20.
    assert "Nilai pesanan: Rp 22.230.000 (+ Rp 6.400.000 menunggu minimal pesanan)" in text
    assert "Hemat: Rp 1.170.000 dibanding harga pasar" in text
    assert "• Beras SPHP medium 50 kg: kurang 10 karung untuk minimal pesanan" in text
    assert "• Gula pasir kristal putih 50 kg: 4 karung lagi, harga turun ke Rp 840.000" in text
    assert "Belum memesan (17)" in text and "dan 12 koperasi lainnya" in text
    assert "GLP-50" not in text and "PUSDAI" not in text  # names, not codes
    round_id = chat_round.id
    assert payloads(replies) == [f"arp:{round_id}", f"arw:{round_id}", f"ain:{round_id}",
                                 f"ar:{round_id}"]  # fmt: skip

    await chat_admin.press(f"arp:{round_id}")

    products = chat_admin.last_text
    assert "Gula pasir kristal putih 50 kg (GLP-50): 26 karung, harga Rp 855.000" in products
    assert "Beras SPHP medium 50 kg (BRS-SPHP50): 10 karung" in products
    assert "minimal 20 karung (kurang 10)" in products
    assert "26 karung, harga Rp 855.000; 4 karung lagi → Rp 840.000" in products

    await chat_admin.press(f"arw:{round_id}")

    waiting = chat_admin.last_text
    assert "Belum memesan di Putaran Belanja Bareng Desember (17)" in waiting
    assert "(PUSDAI)" in waiting and "0812-0000-0101" not in waiting  # DT ordered
    assert waiting.count("\n• ") == 17


async def test_recap_of_a_closed_round_lists_the_coops_it_closed_with_not_ones_added_later(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await _order(chat_admin, chat_round, "DT", "GLP-50", 12)
    await _order(chat_admin, chat_round, "DT", "BRS-SPHP50", 10)  # its MOQ is 20
    await steps.close_round(
        chat_admin.services.db, chat_round.id, chat_admin.services.now(), force=True
    )
    await import_catalog(chat_admin.services.db, coops=[make_coop("BARU1", "Koperasi Baru")])

    replies = await chat_admin.send(f"/rekap {chat_round.id}")

    text = chat_admin.last_text
    assert "Sudah memesan: 1 dari 20 koperasi" in text
    assert "Ditutup Selasa, 1 Des 2026" in text and "Tutup Jumat" not in text
    assert "(Rp 6.400.000 lagi tidak jadi dipesan: di bawah minimal pesanan)" in text
    assert "Hasil penutupan" in text and "Perlu perhatian" not in text
    assert "Beras SPHP medium 50 kg: tidak dipesan, kurang 10 karung" in text
    assert "Tidak memesan (19)" in text
    assert f"ain:{chat_round.id}" not in payloads(replies)  # no nudging a closed round
    assert f"ar:{chat_round.id}" not in payloads(replies)  # nor refreshing what cannot change
    await chat_admin.press(f"arw:{chat_round.id}")
    assert "(19)" in chat_admin.last_text and "Koperasi Baru" not in chat_admin.last_text
    await chat_admin.press(f"arp:{chat_round.id}")
    products = chat_admin.last_text
    assert "12 karung, harga Rp 855.000" in products and "lagi →" not in products
    assert "minimal 20 karung (tidak dipesan, kurang 10)" in products


async def test_recap_of_an_unknown_round_or_with_no_open_round_says_so(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    assert [r.template for r in await chat_admin.send("/rekap")] == ["admin_no_open_round"]
    assert [r.template for r in await chat_admin.send("/summary 99")] == ["errors/unknown_round"]
    assert "99" in chat_admin.last_text


async def test_stranger_tries_rekap_and_admin_buttons_with_forged_payloads_refused_nothing_changes(
    chat_stranger: ChatUser, chat_round: Round, chat_admin: ChatUser
) -> None:
    db, round_id = chat_stranger.services.db, chat_round.id
    tried = [
        await chat_stranger.send("/rekap"),
        await chat_stranger.send("/putaran baru Putaran Palsu | 2026-12-20 17:00"),
        await chat_stranger.send(f"/putaran perpanjang {round_id} 2026-12-20 17:00"),
        await chat_stranger.send("/undang DT"),
        await chat_stranger.send("/siaran Diskon palsu!"),
        await chat_stranger.send(f"/admin {chat_stranger.user_id}"),
    ]
    tried.append(await chat_stranger.send("/ingatkan"))
    for payload in ("ar", "am", "aq", "ac", "ay", "ax", "arp", "arw", "ain"):
        tried.append(await chat_stranger.press(f"{payload}:{round_id}"))
    tried.append(await chat_stranger.press("an"))

    assert all([r.template for r in replies] == ["errors/not_admin"] for replies in tried)
    assert "hanya untuk admin" in chat_stranger.last_text
    after = await rounds.get_round(db, round_id)
    assert after is not None and after.status is RoundStatus.OPEN
    assert after.closes_at == chat_round.closes_at
    assert len(await rounds.list_rounds(db)) == 1
    assert await outbox_total(chat_stranger.services) == 0
    assert [r.template for r in await chat_admin.press("ac:bukan-angka")] == ["errors/stale_button"]


async def test_rep_of_another_coop_cannot_use_pesankan(
    chat_treasurer: ChatUser, chat_admin: ChatUser, chat_round: Round
) -> None:
    refused = await chat_treasurer.send("/pesankan KKPITB GLP-50 5")

    assert [reply.template for reply in refused] == ["errors/not_admin"]
    assert await quantities(chat_treasurer.services.db, chat_round.id) == {}

    done = await chat_admin.send("/pesankan kkpitb glp-50 5")

    assert [reply.template for reply in done] == ["admin_order_set"]
    assert "0 → 5 karung" in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {("KKPITB", "GLP-50"): 5}
    [entry] = await audit_log(chat_admin.services.db, chat_round.id)
    assert entry.actor == "admin:telegram:9001"


async def test_pesankan_with_a_bad_quantity_or_unknown_coop_explains_and_changes_nothing(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    bad_quantity = await chat_admin.send("/pesankan DT GLP-50 lima")
    unknown_coop = await chat_admin.send("/pesankan NOPE GLP-50 5")
    usage = await chat_admin.send("/pesankan DT")

    assert [r.template for r in bad_quantity] == ["errors/quantity_invalid"]
    assert [r.template for r in unknown_coop] == ["errors/unknown_coop"]
    assert [r.template for r in usage] == ["admin_order_usage"]
    assert await quantities(chat_admin.services.db, chat_round.id) == {}


async def test_pesankan_refused_shows_staff_pesankan_again_not_a_treasurers_order_line(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    too_many = await chat_admin.send("/pesankan DT BRS-SPHP50 1.000")
    too_many_text = chat_admin.last_text
    negative = await chat_admin.send("/pesankan DT BRS-SPHP50 -1")
    negative_text = chat_admin.last_text
    bare_line = await chat_admin.send("BRS-SPHP50 20")

    assert [r.template for r in too_many + negative + bare_line] == [
        "errors/over_coop_maximum", "errors/quantity_invalid", "admin_order_usage",
    ]  # fmt: skip
    assert "Kirim jumlah yang lebih kecil, misalnya /pesankan DT BRS-SPHP50 20." in too_many_text
    assert "misalnya /pesankan DT BRS-SPHP50 12 (0 menghapus pesanan)" in negative_text
    assert "KODE 12" not in negative_text
    assert "Anda admin Dinas, bukan pengurus koperasi, jadi pesanan ini tidak dicatat" in (
        chat_admin.last_text
    )
    assert "/pesankan KODE_KOPERASI KODE_PRODUK JUMLAH" in chat_admin.last_text
    assert "kode undangan" not in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {}
    await preferences.set_language(chat_admin.services.db, "telegram", "9001", "en")
    await chat_admin.send("/pesankan DT BRS-SPHP50 -1")
    assert "e.g. /orderfor DT BRS-SPHP50 12 (0 removes the order)" in chat_admin.last_text
    await chat_admin.send("/pesankan DT BRS-SPHP50 21")
    assert "for example /orderfor DT BRS-SPHP50 20." in chat_admin.last_text


async def test_pesankan_in_a_round_being_closed_or_past_its_deadline_speaks_to_staff(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await begin_closing(chat_admin.services.db, chat_round.id, chat_clock())

    closing = await chat_admin.send("/pesankan DT GLP-50 5")

    assert [r.template for r in closing] == ["errors/round_closing"]
    assert "juga oleh admin" in chat_admin.last_text
    assert "hubungi admin Dinas" not in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {}


async def test_a_treasurer_past_the_deadline_is_still_told_to_contact_the_dinas_admin(
    chat_treasurer: ChatUser, chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    chat_clock.advance(chat_round.closes_at - chat_clock() + timedelta(minutes=1))

    await chat_treasurer.send("/pesan GLP-50 5")
    await chat_admin.send("/pesankan DT GLP-50 5")

    assert "hubungi admin Dinas" in chat_treasurer.last_text
    assert "juga oleh admin" in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {}


async def test_refusals_to_staff_in_the_chat_name_chat_commands_not_the_command_line(
    chat_admin: ChatUser,
) -> None:
    unknown_party = await chat_admin.send("/tagihan XX")
    unknown_party_text = chat_admin.last_text
    unknown_round = await chat_admin.send("/rekap 99")
    unknown_round_text = chat_admin.last_text

    assert [r.template for r in unknown_party + unknown_round] == [
        "errors/unknown_coop",
        "errors/unknown_round",
    ]
    assert (
        "daftar lengkapnya ada di berkas yang dimuat (koperasi.csv, pemasok.csv)"
        in unknown_party_text
    )
    assert "/rekap menunjukkan kode koperasi yang belum memesan" in unknown_party_text
    assert "Nomor putaran ada di daftar /putaran" in unknown_round_text
    assert "belanja-bareng" not in unknown_party_text + unknown_round_text


async def test_refusals_to_staff_say_what_staff_can_do_not_to_ask_the_dinas(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    unknown_coop = await chat_admin.send("/pesankan XX GLP-50 5")
    unknown_coop_text = chat_admin.last_text
    unknown_invite = await chat_admin.send("/cabut xyz")
    unknown_invite_text = chat_admin.last_text
    await steps.close_round(chat_admin.services.db, chat_round.id, chat_clock(), force=True)
    closed = await chat_admin.send(f"/putaran perpanjang {chat_round.id} 2026-12-20 17:00")
    closed_text = chat_admin.last_text
    usage = await chat_admin.send("/tagihan")  # an admin who is no coop's treasurer
    await chat_admin.send("/tagihan KKPITB")  # ordered nothing in the closed round
    assert "tidak punya tagihan" in chat_admin.last_text and "/pesanan" not in chat_admin.last_text

    assert [r.template for r in unknown_coop + unknown_invite + closed + usage] == [
        "errors/unknown_coop", "errors/invite_unknown", "errors/round_not_open",
        "admin_document_usage",
    ]  # fmt: skip
    assert "koperasi.csv" in unknown_coop_text and "minta admin Dinas" not in unknown_coop_text
    assert "invites list" in unknown_invite_text and "petugas Dinas" not in unknown_invite_text
    assert "sudah ditutup" in closed_text and "Tunggu tagihannya" not in closed_text
