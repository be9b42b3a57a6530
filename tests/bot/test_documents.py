"""The PDFs a closed round hands out: one bill per coop, one purchase order per supplier, on
A4, every name printed as typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

import tests.support.use_case_steps as steps
from bot.config import OfficeConfig
from bot.documents import (
    RoundFiles,
    bill_file_name,
    purchase_order_file_name,
    write_round_documents,
)
from bot.exports import RoundExport, load_round_export
from messages.render import Renderer
from messages.replies import FileKind, FileRequest
from purchasing.model import Coop, Rep, RepRole, Round, Supplier
from purchasing.settlement import Payee
from storage.people import reps
from tests.support.clock import Clock
from tests.support.closed_round import AUDIT, COOPS, the_outcome, the_round
from tests.support.fixtures.after_close import order_then_close
from tests.support.fixtures.chat import ChatUser
from usecases.context import UseCaseContext
from usecases.receipts import confirm_receipt
from usecases.supply import confirm_purchase_order

TRICKY = 'KSU "Maju & Berkah" — Café Ñusantara <b>'
OFFICE = OfficeConfig(
    address="Jl. Kawaluyaan Indah Raya No. 4", contact="022-7302525",
    signatory="Kepala Bidang Koperasi", payment_instructions="Transfer ke Bank BJB 0001234567890",
    payment_terms="Dibayar 14 hari setelah barang diterima.", bill_due_days=10,
)  # fmt: skip


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def written(tmp_path: Path) -> dict[str, Path]:
    coops = [
        replace(coop, name=TRICKY, address="Jl. Dago 1", contact="0812")
        if coop.code == "DT"
        else coop
        for coop in COOPS
    ]
    export = RoundExport(the_round(), the_outcome(), AUDIT, coops)
    paths = write_round_documents(export, OFFICE, Renderer(), "id", tmp_path)
    return {path.name: path for path in paths}


def test_each_coop_gets_a_bill_and_each_supplier_a_purchase_order(
    written: dict[str, Path],
) -> None:
    assert sorted(written) == [
        "surat-pesanan-7-BULOG.pdf",
        "tagihan-7-ATTAQWA.pdf",
        "tagihan-7-DT.pdf",
        "tagihan-7-KKPITB.pdf",
    ]
    for path in written.values():
        page = PdfReader(path).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            round(A4[0]),
            round(A4[1]),
        )


def test_the_bill_names_its_number_due_date_lines_total_and_how_to_pay(
    written: dict[str, Path],
) -> None:
    text = text_of(written["tagihan-7-DT.pdf"])

    assert "TAGIHAN" in text and "Nomor: TG-007-DT" in text
    assert TRICKY in text  # printed as typed: no markup, no missing glyph
    assert "Jatuh tempo: Selasa, 8 Des 2026" in text  # closed 28 Nov + 10 days
    assert "Gula pasir 50 kg" in text and "Rp 855.000" in text
    total = 40 * 855_000 + 188 * 183_000
    assert f"Total tagihan: Rp {total:,}".replace(",", ".") in text
    assert "Transfer ke Bank BJB 0001234567890. Tulis berita transfer TG-007-DT." in text


def test_a_round_closed_early_is_billed_from_the_day_it_closed(tmp_path: Path) -> None:
    early = replace(the_round(), closed_at=the_round().closes_at - timedelta(days=2))
    export = RoundExport(early, the_outcome(), AUDIT, COOPS)
    written = {p.name: p for p in write_round_documents(export, OFFICE, Renderer(), "id", tmp_path)}

    assert "Jatuh tempo: Minggu, 6 Des 2026" in text_of(written["tagihan-7-DT.pdf"])


def test_a_bill_says_which_lines_were_not_ordered_and_costs_nothing_for_them(
    written: dict[str, Path],
) -> None:
    text = text_of(written["tagihan-7-KKPITB.pdf"])

    assert "minimal pesanan bersama tidak tercapai (tidak ditagih): Indomie goreng" in text
    assert f"Total tagihan: Rp {20 * 855_000:,}".replace(",", ".") in text


def test_the_purchase_order_lists_quantities_and_where_each_coop_gets_its_goods(
    written: dict[str, Path],
) -> None:
    text = text_of(written["surat-pesanan-7-BULOG.pdf"])

    assert "SURAT PESANAN" in text and "Nomor: SP-007-BULOG" in text
    assert "Kepada: Perum Bulog (BULOG)" in text
    assert "Jl. Dago 1, 0812" in text
    assert f"{TRICKY} (DT)" in " ".join(text.split())  # wrapped in its cell, all there
    assert "GLP-50 × 40 karung" in text and "MKITA-1L × 188 dus" in text
    assert "Syarat pembayaran: Dibayar 14 hari setelah barang diterima." in text
    assert "Kepala Bidang Koperasi" in text


def test_documents_speak_english_to_whoever_reads_english(tmp_path: Path) -> None:
    export = RoundExport(the_round(), the_outcome(), AUDIT, [Coop("DT", "Kopontren DT")])
    written = write_round_documents(export, OFFICE, Renderer(), "en", tmp_path)
    [order] = [path for path in written if path.name.startswith("surat-pesanan")]
    bills = [path for path in written if path.name.startswith("tagihan")]

    assert text_of(order).startswith("PURCHASE ORDER") and "Order total:" in text_of(order)
    assert all(text_of(bill).startswith("BILL") and "Total due:" in text_of(bill) for bill in bills)


def test_where_coops_pay_suppliers_directly_each_gets_a_bill_per_supplier_with_its_account(
    tmp_path: Path,
) -> None:
    bulog = Supplier("BULOG", "Perum Bulog", "022-0201", "BRI 0123-01 a.n. Perum Bulog")
    export = RoundExport(
        the_round(), the_outcome(), AUDIT, COOPS, suppliers=[bulog], payee=Payee.SUPPLIER
    )
    paths = {p.name: p for p in write_round_documents(export, OFFICE, Renderer(), "id", tmp_path)}
    text = " ".join(text_of(paths["tagihan-7-DT-BULOG.pdf"]).split())

    assert sorted(name for name in paths if name.startswith("tagihan")) == [
        "tagihan-7-ATTAQWA-BULOG.pdf",
        "tagihan-7-DT-BULOG.pdf",
        "tagihan-7-KKPITB-BULOG.pdf",
    ]  # every coop bought from Bulog only (Indofood's noodles missed their MOQ)
    assert "Nomor: TG-007-DT-BULOG" in text
    assert "Dibayar kepada: Perum Bulog (BULOG), rekening BRI 0123-01 a.n. Perum Bulog" in text
    assert (
        "Cara membayar: transfer langsung ke Perum Bulog, rekening BRI 0123-01 a.n. Perum Bulog."
        " Tulis berita transfer TG-007-DT-BULOG." in text
    )
    assert "Bank BJB" not in text  # the office's account is not where this bill is paid


async def test_a_purchase_order_fetched_again_after_a_shortage_shows_what_ships_now(
    admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    dt, kkpitb, _ = admin_reps
    db = dt.services.db
    await dt.send("GLP-50 6")
    await kkpitb.send("GLP-50 4")
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(db, chat_round.id, chat_clock())
    files = RoundFiles(db, tmp_path, OFFICE, Renderer())
    order = FileRequest(FileKind.PURCHASE_ORDER, chat_round.id, "BULOG")
    await reps.add_rep(db, Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER), chat_clock())
    bulog = ChatUser(dt.services, dt.renderer, "7001", "Pak Joko")

    at_close = " ".join(text_of(await files(order, "id")).split())
    await bulog.send("/konfirmasi besok\nGLP-50 7")
    after = " ".join(text_of(await files(order, "id")).split())

    assert "Total pesanan: Rp 8.550.000" in at_close  # 10 sacks at Rp 855.000
    assert "Total pesanan: Rp 5.985.000" in after  # 7 sacks, the same price


@pytest.mark.parametrize("payee", [Payee.OFFICE, Payee.SUPPLIER])
async def test_each_pdf_made_for_its_party_alone_says_what_the_whole_rounds_export_says(
    admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock, tmp_path: Path, payee: Payee
) -> None:
    """A close of 10,000 coops sends 10,000 bills: each is read for its coop alone, and each
    purchase order settles its supplier's products alone; both print the same lines,
    figures, names and accounts as the documents of the round's whole export."""
    db = admin_reps[0].services.db
    orders = ["GLP-50 6\nIDM-GRG 10", "GLP-50 4\nIDM-GRG 3"]
    await order_then_close(admin_reps, orders, chat_round, chat_clock, payee)
    export = await load_round_export(db, chat_round.id)
    whole = write_round_documents(export, OFFICE, Renderer(), "id", tmp_path / "whole")
    files = RoundFiles(db, tmp_path / "alone", OFFICE, Renderer())
    requests = {
        bill_file_name(chat_round.id, "DT"): FileRequest(FileKind.BILL, chat_round.id, "DT"),
        bill_file_name(chat_round.id, "KKPITB"): FileRequest(
            FileKind.BILL, chat_round.id, "KKPITB"
        ),
        purchase_order_file_name(chat_round.id, "BULOG"): FileRequest(
            FileKind.PURCHASE_ORDER, chat_round.id, "BULOG"
        ),
        purchase_order_file_name(chat_round.id, "INDOFOOD"): FileRequest(
            FileKind.PURCHASE_ORDER, chat_round.id, "INDOFOOD"
        ),
    }
    if payee is Payee.SUPPLIER:  # a bill per coop and supplier
        requests = {
            **{name: r for name, r in requests.items() if r.kind is FileKind.PURCHASE_ORDER},
            **{
                bill_file_name(chat_round.id, coop, supplier): FileRequest(
                    FileKind.BILL, chat_round.id, coop, supplier
                )
                for coop in ("DT", "KKPITB")
                for supplier in ("BULOG", "INDOFOOD")
            },
        }

    assert sorted(path.name for path in whole) == sorted(requests)
    for path in whole:
        alone = await files(requests[path.name], "id")
        assert alone.name == path.name
        assert text_of(alone) == text_of(path)


async def test_a_bill_fetched_in_the_chat_says_received_once_the_coop_confirmed_its_goods(
    admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    """Until a coop confirms what arrived, its units billed are what it was allocated (the
    workbook's word); KKPITB confirms, DT not yet."""
    db = admin_reps[0].services.db
    await order_then_close(admin_reps, ["GLP-50 6", "GLP-50 4"], chat_round, chat_clock)
    files = RoundFiles(db, tmp_path, OFFICE, Renderer())
    kkpitb = FileRequest(FileKind.BILL, chat_round.id, "KKPITB")
    before = " ".join(text_of(await files(kkpitb, "id")).split())
    at = UseCaseContext(db, chat_clock)
    await confirm_purchase_order(at, "BULOG", chat_clock().date(), {}, "telegram:7001")
    await confirm_receipt(at, "KKPITB", {"GLP-50": 3}, "telegram:KKPITB")

    after = " ".join(text_of(await files(kkpitb, "en")).split())
    dt = " ".join(
        text_of(await files(FileRequest(FileKind.BILL, chat_round.id, "DT"), "id")).split()
    )

    assert "Produk Dipesan Dialokasikan Harga satuan" in before and "4 karung 4 karung" in before
    assert "Product Ordered Received Unit price" in after and "4 karung 3 karung" in after
    assert "Produk Dipesan Dialokasikan Harga satuan" in dt
