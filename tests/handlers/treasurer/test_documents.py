"""`/tagihan`: the bill of the last closed round comes again, as text with its PDF; Dinas
staff fetch any coop's bill or supplier's purchase order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

import tests.support.use_case_steps as steps
from bot.config import OfficeConfig
from bot.documents import RoundFiles
from handlers.contract.services import Services
from messages.render import Renderer
from purchasing.model import Rep, RepRole, Round
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser

OFFICE = OfficeConfig(payment_instructions="Transfer ke Bank BJB 0001234567890")


@pytest.fixture
def services(chat_services: Services, tmp_path: Path, chat_renderer: Renderer) -> Services:
    files = RoundFiles(chat_services.db, tmp_path / "exports", OFFICE, chat_renderer)
    return replace(chat_services, round_file=files)


def person(services: Services, renderer: Renderer, user_id: str) -> ChatUser:
    return ChatUser(services, renderer, user_id, f"Orang {user_id}")


def pdf_text(path: Path | None) -> str:
    assert path is not None and path.suffix == ".pdf"
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


async def close(services: Services, round_: Round, clock: Clock) -> None:
    clock.advance(timedelta(days=4))
    assert await steps.close_round(services.db, round_.id, clock()) is not None


async def test_treasurer_fetches_the_bill_of_the_round_just_closed_as_text_and_pdf(
    services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    siti = replace(chat_treasurer, services=services)
    before = await siti.send("/tagihan")
    before_text = siti.last_text
    await siti.send("GLP-50 6\nIDM-GRG 10")
    await close(services, chat_round, chat_clock)

    [bill] = await siti.send("/tagihan")

    assert [reply.template for reply in before] == ["document_none"]
    assert "Belum ada putaran yang ditutup" in before_text
    assert bill.template == "summary_bill"
    text = pdf_text(bill.attachment)
    assert f"Nomor: TG-{chat_round.id:03d}-DT" in text
    assert "Kopontren Daarut Tauhid" in text and "Transfer ke Bank BJB 0001234567890" in text


async def test_a_coop_that_ordered_nothing_is_told_it_has_no_bill(
    services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    siti = replace(chat_treasurer, services=services)
    await close(services, chat_round, chat_clock)

    replies = await siti.send("/tagihan")

    assert [reply.template for reply in replies] == ["document_none"]
    assert "koperasi ini tidak memesan" in siti.last_text


async def test_a_coop_whose_only_order_missed_the_moq_is_told_it_owes_nothing_without_a_pdf(
    services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    siti = replace(chat_treasurer, services=services)
    await siti.send("GLP-50 2")  # its MOQ is 5, and nobody else orders sugar
    await close(services, chat_round, chat_clock)

    [answer] = await siti.send("/tagihan")

    assert answer.template == "summary_bill" and answer.attachment is None
    assert "GLP-50 Gula pasir kristal putih 50 kg: tidak dipesan" in siti.last_text
    assert "Tidak ada yang ditagihkan" in siti.last_text and "Rp 0" not in siti.last_text


async def test_staff_fetch_a_suppliers_purchase_order_and_a_coops_bill(
    services: Services,
    chat_treasurer: ChatUser,
    chat_admin: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    await replace(chat_treasurer, services=services).send("GLP-50 6")
    await close(services, chat_round, chat_clock)
    admin = replace(chat_admin, services=services)

    [order] = await admin.send("/tagihan BULOG")
    [bill] = await admin.send("/tagihan dt")

    assert order.template == "summary_purchase_order"
    assert f"SP-{chat_round.id:03d}-BULOG" in pdf_text(order.attachment)
    assert bill.template == "summary_bill" and "TG-" in pdf_text(bill.attachment)


async def test_a_suppliers_rep_gets_the_purchase_order_and_a_treasurer_cannot_name_others(
    services: Services,
    chat_treasurer: ChatUser,
    chat_renderer: Renderer,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    await reps.add_rep(
        services.db, Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER), chat_clock()
    )
    siti = replace(chat_treasurer, services=services)
    await siti.send("GLP-50 6")
    await close(services, chat_round, chat_clock)

    [order] = await person(services, chat_renderer, "7001").send("/tagihan")
    refused = await siti.send("/tagihan KKPITB")

    assert order.template == "summary_purchase_order" and order.attachment is not None
    assert [reply.template for reply in refused] == ["errors/document_of_another"]
    assert "hanya untuk admin Dinas" in siti.last_text
    assert "Untuk tagihan koperasi Anda, kirim /tagihan saja, tanpa kode." in siti.last_text


async def test_a_treasurer_typing_her_own_coops_code_gets_her_bill_as_with_tagihan_alone(
    services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    siti = replace(chat_treasurer, services=services)
    await siti.send("GLP-50 6")
    await close(services, chat_round, chat_clock)

    [plain] = await siti.send("/tagihan")
    [named] = await siti.send("/tagihan dt")

    assert named.template == plain.template == "summary_bill"
    assert named.context == plain.context
    assert f"TG-{chat_round.id:03d}-DT" in pdf_text(named.attachment)


async def test_a_suppliers_rep_naming_another_party_is_pointed_to_tagihan_alone(
    services: Services, chat_renderer: Renderer, chat_round: Round, chat_clock: Clock
) -> None:
    await reps.add_rep(
        services.db, Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER), chat_clock()
    )
    joko = person(services, chat_renderer, "7001")
    await close(services, chat_round, chat_clock)

    own = await joko.send("/tagihan BULOG")
    other = await joko.send("/tagihan INDOFOOD")

    assert [reply.template for reply in own] == ["document_none"]  # Bulog had nothing to ship
    assert [reply.template for reply in other] == ["errors/document_of_another"]
    assert "Untuk surat pesanan pemasok Anda, kirim /tagihan saja" in joko.last_text


async def test_staff_see_a_purchase_order_awaiting_the_supplier_without_its_buttons(
    services: Services,
    chat_treasurer: ChatUser,
    chat_admin: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    await replace(chat_treasurer, services=services).send("GLP-50 6")
    await close(services, chat_round, chat_clock)
    admin = replace(chat_admin, services=services)

    [order] = await admin.send("/tagihan BULOG")

    assert order.template == "summary_purchase_order" and order.attachment is not None
    assert order.options == ()
    assert "tekan tombol di bawah" not in admin.last_text
    assert "Perum Bulog Kanwil Jawa Barat belum mengonfirmasi surat pesanan ini" in admin.last_text


async def test_an_admin_who_also_speaks_for_the_supplier_gets_its_buttons(
    services: Services,
    chat_treasurer: ChatUser,
    chat_admin: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    await reps.add_rep(
        services.db, Rep("telegram", chat_admin.user_id, "BULOG", RepRole.SUPPLIER), chat_clock()
    )
    await replace(chat_treasurer, services=services).send("GLP-50 6")
    await close(services, chat_round, chat_clock)
    admin = replace(chat_admin, services=services)

    [order] = await admin.send("/tagihan BULOG")

    assert [option.payload for option in order.flat_options] == [
        f"sc:{chat_round.id}:BULOG:1",
        f"sc:{chat_round.id}:BULOG:2",
    ]
    assert "Bila semua bisa dikirim, tekan tombol di bawah" in admin.last_text


async def test_no_bill_points_to_the_open_rounds_order_only_while_a_round_is_open(
    services: Services,
    chat_treasurer: ChatUser,
    chat_admin: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    siti = replace(chat_treasurer, services=services)
    admin = replace(chat_admin, services=services)
    await siti.send("/tagihan")
    while_open = siti.last_text
    await steps.cancel_round(services.db, chat_round.id, now=chat_clock())

    after_cancel = await siti.send("/tagihan")
    after_cancel_text = siti.last_text
    other = await steps.create_round(
        services.db, "Belanja Bareng Januari", chat_clock(), chat_clock() + timedelta(days=3),
        ["GLP-50"], now=chat_clock(),
    )  # fmt: skip
    await steps.open_round(services.db, other.id, chat_clock())
    await siti.send("GLP-50 6")
    await close(services, other, chat_clock)
    not_ordered = await admin.send("/tagihan ATTAQWA")

    assert "Ketik /pesanan untuk melihat pesanan putaran yang sedang buka." in while_open
    assert [reply.template for reply in after_cancel + not_ordered] == ["document_none"] * 2
    assert "Belum ada putaran yang ditutup" in after_cancel_text
    assert "sedang buka" not in after_cancel_text and "/pesanan" not in after_cancel_text
    assert "Kojamas At-Taqwa tidak punya tagihan" in admin.last_text
    assert "sedang buka" not in admin.last_text and "/rekap" not in admin.last_text
