"""After the close the Dinas checks the books in the export: the Setelah Ditutup sheet (and
after_close.csv) says how far the round has come, in the round menu's words, and lists each
step since the close with who took it and when, oldest first.

The story: DT ordered 6 sacks of sugar, KKPITB 4. Bulog ships 7 (DT gets 4, KKPITB 3); DT
receives 3 and sends a photo of what came short, KKPITB receives everything; DT's first
proof of transfer cannot be read and is rejected, its second is verified; KKPITB's transfer
comes with the bank statement. Then every bill is paid: the round is settled ("lunas").
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.exports import RoundExport, load_round_export, sheet_words
from purchasing.model import Round
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser
from tests.support.workbooks import workbook_cells
from usecases.payments import import_statement, reject_proof, submit_proof, verify_proof
from usecases.receipts import confirm_receipt, send_receipt_photo
from usecases.supply import confirm_purchase_order

ID = sheet_words("id")  # the words of an Indonesian reader

SUGAR = 855_000  # GLP-50 at its 10-sack tier, reached at the close
BULOG_REP, ADMIN = "telegram:7001", "telegram:9001"
STATEMENT_BY = "admin:sari"
HEADER = ("Waktu (WIB)", "Langkah", "Kode Pihak", "Rincian", "Dibayar", "Oleh")
Texts = list[tuple[str, ...]]


def wib(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Jakarta"))


def texts(rows: list[tuple[object, ...]] | list[list[str]]) -> Texts:
    """Rows as a person reads them in either file: every cell as text, empty ones dropped at
    the end of a row."""
    read = [tuple("" if cell is None else str(cell) for cell in row) for row in rows]
    return [row[: max((i + 1 for i, cell in enumerate(row) if cell), default=0)] for row in read]


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, delimiter=";"))


def sent_file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.fixture
async def closed(after_close_sugar: Round) -> Round:
    """DT ordered 6 sacks of sugar, KKPITB 4; the round closed (`after_close_sugar`)."""
    return after_close_sugar


@pytest.fixture
async def settled(
    closed: Round,
    admin_reps: list[ChatUser],
    chat_admin: ChatUser,
    chat_clock: Clock,
    tmp_path: Path,
) -> RoundExport:
    """The story above, each step a few minutes after the one before; the round's export."""
    ctx, dt, kkpitb = chat_admin.services, admin_reps[0], admin_reps[1]
    chat_clock.now = wib("2026-12-05 09:00")
    await confirm_purchase_order(ctx, "BULOG", date(2026, 12, 10), {"GLP-50": 7}, BULOG_REP)
    chat_clock.now = wib("2026-12-10 10:00")
    await confirm_receipt(ctx, "DT", {"GLP-50": 3}, dt.actor)
    chat_clock.now = wib("2026-12-10 10:10")
    photo = sent_file(tmp_path, "karung-sobek.jpg", b"\xff\xd8 karung sobek")
    await send_receipt_photo(ctx, closed.id, "DT", photo, photo.name, dt.actor)
    chat_clock.now = wib("2026-12-10 10:20")
    await confirm_receipt(ctx, "KKPITB", {}, kkpitb.actor)
    chat_clock.now = wib("2026-12-10 11:20")
    blurred = sent_file(tmp_path, "buram.jpg", b"\xff\xd8 buram")
    first = await submit_proof(ctx, "DT", blurred, blurred.name, dt.actor)
    assert first is not None
    chat_clock.now = wib("2026-12-10 11:25")
    await reject_proof(ctx, first.proof.id, ADMIN, "tidak terbaca")
    chat_clock.now = wib("2026-12-10 11:30")
    clear = sent_file(tmp_path, "bukti-dt.jpg", b"\xff\xd8 transfer Rp 2.565.000")
    second = await submit_proof(ctx, "DT", clear, clear.name, dt.actor)
    assert second is not None
    chat_clock.now = wib("2026-12-10 11:35")
    await verify_proof(ctx, second.proof.id, ADMIN)
    chat_clock.now = wib("2026-12-10 12:00")
    statement = tmp_path / "mutasi.csv"
    statement.write_text(
        f"tanggal,keterangan,jumlah\n2026-12-10,TRSF TG-001-KKPITB PAK DEDI,{3 * SUGAR}\n", "utf-8"
    )
    await import_statement(ctx, statement, statement.name, STATEMENT_BY)
    return await load_round_export(ctx.db, closed.id)


def expected_steps(dt: str, kkpitb: str, photo: str, proof: str) -> Texts:
    paid = str(3 * SUGAR)
    return [
        ("2026-12-05 09:00 WIB", "Konfirmasi pemasok", "BULOG", "kirim 2026-12-10, 1 baris kurang",
         "", BULOG_REP),
        ("2026-12-05 09:00 WIB", "Perubahan tagihan", "DT", "GLP-50 6 → 4 (pemasok kurang kirim)",
         "", BULOG_REP),
        ("2026-12-05 09:00 WIB", "Perubahan tagihan", "KKPITB",
         "GLP-50 4 → 3 (pemasok kurang kirim)", "", BULOG_REP),
        ("2026-12-10 10:00 WIB", "Penerimaan barang", "DT", "1 baris kurang", "", dt),
        ("2026-12-10 10:00 WIB", "Perubahan tagihan", "DT", "GLP-50 4 → 3 (tidak diterima)", "",
         dt),
        ("2026-12-10 10:10 WIB", "Foto barang", "DT", f"foto barang: {photo}", "", dt),
        ("2026-12-10 10:20 WIB", "Penerimaan barang", "KKPITB", "lengkap", "", kkpitb),
        ("2026-12-10 11:20 WIB", "Bukti transfer", "DT", "bukti 1 untuk TG-001-DT: ditolak", "",
         dt),
        ("2026-12-10 11:25 WIB", "Pemeriksaan bukti", "DT",
         "bukti 1 untuk TG-001-DT: ditolak: tidak terbaca", "", ADMIN),
        ("2026-12-10 11:30 WIB", "Bukti transfer", "DT", "bukti 2 untuk TG-001-DT: diverifikasi",
         "", dt),
        ("2026-12-10 11:35 WIB", "Pemeriksaan bukti", "DT",
         "bukti 2 untuk TG-001-DT: diverifikasi", "", ADMIN),
        ("2026-12-10 11:35 WIB", "Pembayaran", "DT",
         f"TG-001-DT, bukti transfer 2026-12-10: {proof}", paid, ADMIN),
        ("2026-12-10 12:00 WIB", "Pembayaran", "KKPITB",
         "TG-001-KKPITB, mutasi rekening 2026-12-10: TRSF TG-001-KKPITB PAK DEDI", paid,
         STATEMENT_BY),
    ]  # fmt: skip


def kept_name(content: bytes) -> str:
    """The name a file sent to the bot is kept under (`usecases.kept_files`)."""
    return hashlib.sha256(content).hexdigest() + ".jpg"


async def test_the_settled_rounds_workbook_says_lunas_and_lists_each_step_with_who_and_when(
    settled: RoundExport, admin_reps: list[ChatUser], tmp_path: Path
) -> None:
    path = settled.workbook(tmp_path / "out")
    cells = workbook_cells(path)
    sheet = texts(cells["Setelah Ditutup"])

    assert list(cells)[:6] == [
        "Ringkasan", "Pesanan Pembelian", "Tagihan", "Log Perubahan", "Pembayaran",
        "Setelah Ditutup",
    ]  # fmt: skip
    assert sheet[:6] == [
        ("Keterangan", "Nilai", "Dari"),
        ("Tahap", "lunas"),
        ("Pemasok konfirmasi", "1", "1"),
        ("Koperasi terima barang", "2", "2"),
        ("Tagihan lunas", "2", "2"),
        (),
    ]
    assert sheet[6] == HEADER
    photo, proof = kept_name(b"\xff\xd8 karung sobek"), kept_name(b"\xff\xd8 transfer Rp 2.565.000")
    assert sheet[7:] == expected_steps(admin_reps[0].actor, admin_reps[1].actor, photo, proof)
    payment = cells["Setelah Ditutup"][-1]
    assert payment[4] == 3 * SUGAR  # money is a number, not text


async def test_the_csv_has_the_same_rows_and_the_earlier_files_keep_their_places(
    settled: RoundExport, tmp_path: Path
) -> None:
    files = settled.files(tmp_path / "out")
    workbook = workbook_cells(files[0])

    assert [path.name for path in files[1:]] == [
        "overview.csv", "purchase_orders.csv", "bills.csv", "audit_log.csv", "payments.csv",
        "after_close.csv",
    ]  # fmt: skip
    assert texts(csv_rows(files[-1])) == texts(workbook[ID.sheet_after_close])


async def test_a_closed_round_with_nothing_done_yet_waits_for_its_suppliers(
    closed: Round, chat_admin: ChatUser, tmp_path: Path
) -> None:
    export = await load_round_export(chat_admin.services.db, closed.id)
    sheet = texts(workbook_cells(export.workbook(tmp_path))[ID.sheet_after_close])

    assert sheet[1:5] == [
        ("Tahap", "surat pesanan terkirim"),
        ("Pemasok konfirmasi", "0", "1"),
        ("Koperasi terima barang", "0", "2"),
        ("Tagihan lunas", "0", "2"),
    ]
    assert sheet[6:] == [HEADER]


async def test_a_name_that_looks_like_a_formula_stays_text_in_the_sheet_and_the_csv(
    closed: Round, chat_admin: ChatUser, chat_clock: Clock, tmp_path: Path
) -> None:
    evil = '=HYPERLINK("http://x.example","klik")'
    chat_clock.now = wib("2026-12-05 09:00")
    await confirm_purchase_order(chat_admin.services, "BULOG", date(2026, 12, 10), {}, evil)
    export = await load_round_export(chat_admin.services.db, closed.id)

    workbook, *csvs = export.files(tmp_path / "out")
    cell = load_workbook(workbook)[ID.sheet_after_close]["F8"]
    assert (cell.value, cell.data_type) == (evil, "s")
    assert csv_rows(csvs[-1])[7][5] == "'" + evil
    assert texts(csv_rows(csvs[-1]))[1] == ("Tahap", "dipesan (semua pemasok konfirmasi)")


async def test_an_open_round_has_no_such_sheet_and_no_such_file(
    admin_reps: list[ChatUser], chat_round: Round, chat_admin: ChatUser, tmp_path: Path
) -> None:
    await admin_reps[0].send("GLP-50 6")

    export = await load_round_export(chat_admin.services.db, chat_round.id)
    workbook, *csvs = export.files(tmp_path / "out")

    assert export.progress is None and export.steps == []
    assert ID.sheet_after_close not in workbook_cells(workbook)
    assert "after_close.csv" not in [path.name for path in csvs]
