"""The Dinas's reports of prices, suppliers and payments on the command line, over the three
closed rounds of tests/bot/cli/test_report.py (examples/produk.csv), then the suppliers'
confirmations, the coops' receipts and a bank statement; figures worked out by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from purchasing.after_close_log import StepKind
from purchasing.model import Rep, RepRole
from purchasing.round_reports import Paid, PaymentReport, payment_report
from storage import payments
from storage.after_close import after_close_steps
from storage.database import Database, open_database
from storage.people.reps import add_rep
from tests.bot.cli.test_report import _round, _three_closed_rounds
from tests.support.fixtures.cli import Cli
from usecases.context import UseCaseContext
from usecases.receipts import confirm_receipt
from usecases.reports import payment_discipline
from usecases.supply import confirm_purchase_order


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def test_staff_follow_each_products_price_over_the_rounds(cli: Cli) -> None:
    # IDM-GRG (market 132.000): 122.000 in #1 (12 karton), 119.000 in #2 (40), 122.000 in #3
    # (10). BRS-SPHP50 630.000 in #1. GLP-50 missed its MOQ in #1.
    _three_closed_rounds(cli)

    report = cli.ok("report", "prices")

    assert report.startswith("Harga tercapai per produk (3 putaran ditutup):\n")
    assert (
        "- IDM-GRG  Indomie Mi Goreng Spesial 85 g (per karton)\n"
        "  #1 Selasa, 1 Des 2026: Rp 122.000; harga pasar Rp 132.000; 12 karton\n"
        "  #2 Senin, 4 Jan 2027: Rp 119.000 (turun Rp 3.000); harga pasar Rp 132.000; 40 karton\n"
        "  #3 Senin, 18 Jan 2027: Rp 122.000 (naik Rp 3.000); harga pasar Rp 132.000; 10 karton\n"
    ) in report
    assert "  #1 Selasa, 1 Des 2026: Rp 630.000; harga pasar Rp 675.000; 55 karung\n" in report
    assert (
        "  #1 Selasa, 1 Des 2026: tidak dibeli (tanpa pesanan atau di bawah MOQ); "
        "harga pasar Rp 900.000" in report
    )

    english = cli.ok("--lang", "en", "report", "prices")
    assert "  #2 Mon, 4 Jan 2027: Rp 119.000 (down Rp 3.000); market price Rp 132.000" in english


async def _after_the_first_close(database: Path) -> None:
    """Bulog ships 44 of the 55 karung of rice (80 %: DT 16, KKPITB 16, KOPERTIS4 12) on Mon
    7 Dec; Indofood all 12 karton of DT's noodles on Tue 8 Dec. DT confirms everything on
    Wed 9 Dec; KKPITB on Thu 10 Dec that only 14 of its 16 karung came; KOPERTIS4 not yet."""

    def at(moment: datetime) -> UseCaseContext:
        return UseCaseContext(db, lambda: moment)

    async with open_database(database) as db:
        confirming = at(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
        await confirm_purchase_order(
            confirming, "BULOG", date(2026, 12, 7), {"BRS-SPHP50": 44}, "telegram:7001", 1
        )
        await confirm_purchase_order(
            confirming, "INDOFOOD", date(2026, 12, 8), {}, "telegram:7002", 1
        )
        receipts: list[tuple[str, Mapping[str, int], datetime]] = [
            ("DT", {}, datetime(2026, 12, 9, 2, 0, tzinfo=UTC)),
            ("KKPITB", {"BRS-SPHP50": 14}, datetime(2026, 12, 10, 5, 0, tzinfo=UTC)),
        ]
        for coop, received, moment in receipts:
            await confirm_receipt(at(moment), coop, received, f"telegram:{coop}", 1)


def test_staff_see_which_supplier_delivered_short_or_late(cli: Cli) -> None:
    _three_closed_rounds(cli)
    asyncio.run(_after_the_first_close(cli.database))

    report = cli.ok("report", "suppliers")

    # Bulog in #1: 55 ordered, 44 confirmed, 16 + 14 = 30 received by the 2 coops that
    # confirmed (of 3); the last receipt Thu 10 Dec, 3 days after Mon 7 Dec.
    assert (
        "- #1 Belanja Bareng Desember · BULOG  Perum Bulog Kanwil Jawa Barat\n"
        "  dipesan 55, disanggupi 44, diterima 30 (2 dari 3 koperasi sudah konfirmasi terima)\n"
        "  kirim 07-12-2026; terlambat 3 hari sejauh ini (penerimaan terakhir 10-12-2026)\n"
    ) in report
    # Indofood in #1: all 12 received on Wed 9 Dec, a day after Tue 8 Dec.
    assert (
        "  dipesan 12, disanggupi 12, diterima 12 (1 dari 1 koperasi sudah konfirmasi terima)\n"
        "  kirim 08-12-2026; terlambat 1 hari (penerimaan terakhir 09-12-2026)\n"
    ) in report
    # #2 and #3: Indofood has not confirmed yet.
    assert (
        "- #2 Belanja Bareng Januari · INDOFOOD  PT Indofood Sukses Makmur (distributor Bandung)\n"
        "  dipesan 40, disanggupi belum dikonfirmasi, diterima 0 (0 dari 2 koperasi sudah "
        "konfirmasi terima)\n"
        "  kirim belum dijadwalkan; keterlambatan belum diketahui\n"
    ) in report
    assert report.count("- #") == 4


def test_the_suppliers_file_writes_coops_received_as_words_excel_cannot_take_for_a_date(
    cli: Cli, tmp_path: Path
) -> None:
    _three_closed_rounds(cli)
    asyncio.run(_after_the_first_close(cli.database))

    cli.ok("report", "suppliers", "--out", str(tmp_path))

    rows = (tmp_path / "suppliers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(";2 dari 3;" in row for row in rows), rows[:3]  # not "2/3", 2 March in Excel


STATEMENT = """tanggal,keterangan,jumlah
2026-12-07,TRF TG-001-DT,14064000
2026-12-10,TRF TG-001-KKPITB,12600000
2027-01-05,TRF TG-002-FATHULHUDA,1000000
2027-01-08,TRF TG-002-DT,3570000
"""


def test_staff_see_which_coops_pay_on_time_late_or_not_yet(cli: Cli, tmp_path: Path) -> None:
    # Bills are due 7 days after the close: #1's on Tue 8 Dec, #2's on Mon 11 Jan, #3's on
    # Mon 25 Jan. DT: #1 14.064.000 (20×630.000 + 12×122.000) paid 7 Dec, #2 3.570.000
    # (30×119.000) paid 8 Jan: both on time. KKPITB: #1 12.600.000 paid 10 Dec (late), #3
    # 610.000 (5×122.000) open, not yet due. KOPERTIS4: #1 9.450.000 (15×630.000) open and
    # past due. FATHULHUDA: #2 1.190.000, 1.000.000 paid: 190.000 open, past due on 20 Jan.
    # ATTAQWA: #3 610.000 open, not yet due.
    _three_closed_rounds(cli)
    cli.now = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)  # Wed 20 Jan 2027 10.00 WIB
    statement = tmp_path / "mutasi.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cli.ok("payments", "import", str(statement), "--by", "Bu Ani")

    report = cli.ok("report", "payments")

    lines = report.splitlines()
    assert lines[0] == (
        "Ketertiban pembayaran per koperasi (jatuh tempo 7 hari setelah putaran ditutup):"
    )
    figures = [(line.split()[1], line.partition(": ")[2]) for line in lines[1:-1]]
    assert figures == [
        ("KOPERTIS4", "1 tagihan: 0 lunas tepat waktu, 0 lunas terlambat, 1 belum lunas "
                      "(sisa Rp 9.450.000, 1 lewat jatuh tempo)"),
        ("ATTAQWA", "1 tagihan: 0 lunas tepat waktu, 0 lunas terlambat, 1 belum lunas "
                    "(sisa Rp 610.000)"),
        ("KKPITB", "2 tagihan: 0 lunas tepat waktu, 1 lunas terlambat, 1 belum lunas "
                   "(sisa Rp 610.000)"),
        ("FATHULHUDA", "1 tagihan: 0 lunas tepat waktu, 0 lunas terlambat, 1 belum lunas "
                       "(sisa Rp 190.000, 1 lewat jatuh tempo)"),
        ("DT", "2 tagihan: 2 lunas tepat waktu, 0 lunas terlambat, 0 belum lunas"),
    ]  # fmt: skip
    assert lines[-1] == (
        "Total: 7 tagihan: 2 lunas tepat waktu, 1 lunas terlambat, 4 belum lunas "
        "(sisa Rp 10.860.000, 2 lewat jatuh tempo)"
    )


FORMULA_NAME = '=HYPERLINK("http://contoh.test","klik")'


def test_a_report_is_written_as_xlsx_csv_and_pdf_and_a_formula_name_stays_text(
    cli: Cli, tmp_path: Path
) -> None:
    cli.prepared()
    coops = tmp_path / "baru" / "koperasi.csv"
    coops.parent.mkdir()
    coops.write_text(
        f'kode,nama,alamat,kontak\nRUMUS,"{FORMULA_NAME.replace(chr(34), 2 * chr(34))}",,\n'
    )
    cli.ok("import", str(coops))
    _round(cli, "Belanja Bareng Desember", "2026-12-01 08:00", "2026-12-05 17:00", "IDM-GRG")
    cli.ok("order", "1", "RUMUS", "IDM-GRG", "2")
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "1")
    out = tmp_path / "laporan"

    printed = cli.ok("--lang", "en", "report", "payments", "--out", str(out))

    assert printed.endswith(
        f"Report saved:\n- {out / 'payments.xlsx'}\n- {out / 'payments.csv'}\n"
        f"- {out / 'payments.pdf'}\n"
    )
    sheet = load_workbook(out / "payments.xlsx").active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:3] == ["Coop code", "Coop", "Bills"]
    name = sheet.cell(row=2, column=2)
    assert (name.value, name.data_type) == (FORMULA_NAME, "s")
    assert [cell.value for cell in sheet[2]][6] == 244_000  # 2 × 122.000 owed
    csv_text = (out / "payments.csv").read_bytes()
    assert csv_text.startswith("\ufeff".encode())
    assert f'RUMUS;"\'{FORMULA_NAME.replace(chr(34), 2 * chr(34))}";1;0;0;1;244000;0' in (
        csv_text.decode("utf-8-sig")
    )
    assert (out / "payments.pdf").read_bytes().startswith(b"%PDF")

    cli.ok("report", "payments", "--out", str(out / "id"))
    sheet = load_workbook(out / "id" / "payments.xlsx").active
    assert sheet is not None and sheet.cell(row=1, column=2).value == "Koperasi"


def test_the_savings_and_coops_reports_are_written_as_files_too(cli: Cli, tmp_path: Path) -> None:
    _three_closed_rounds(cli)
    asyncio.run(_dt_treasurers(cli))  # one named, one WhatsApp number without a name
    out = tmp_path / "laporan"

    cli.ok("report", "savings", "--out", str(out))
    cli.ok("--lang", "en", "report", "coops", "--out", str(out / "en"))

    savings = load_workbook(out / "savings.xlsx").active
    assert savings is not None
    rows = [[cell.value for cell in row] for row in savings.iter_rows()]
    assert rows[0][:3] == ["Nomor putaran", "Putaran", "Tanggal tutup"]
    first = rows[1]
    assert first[:2] == [1, "Belanja Bareng Desember"]
    assert first[5:9] == [36_114_000, 38_709_000, 2_595_000, "6,7"]  # as the printed report
    assert rows[-1][0] == "TOTAL" and rows[-1][5:9] == [42_094_000, 45_309_000, 3_215_000, "7,1"]
    assert (out / "savings.csv").exists() and (out / "savings.pdf").read_bytes()[:4] == b"%PDF"
    coops = load_workbook(out / "en" / "coops.xlsx").active
    assert coops is not None
    statuses = {row[0].value: row[2].value for row in coops.iter_rows(min_row=2)}
    assert statuses["ATTAQWA"] == "new" and statuses["DT"] == "regular"
    assert statuses["KOPERTIS4"] == "occasional"
    treasurers = {row[0].value: row[6].value for row in coops.iter_rows(min_row=2)}
    assert treasurers["DT"] == "Bu Siti, 6281234567890"  # never an empty name
    pdf = "\n".join(page.extract_text() for page in PdfReader(out / "en" / "coops.pdf").pages)
    assert "(#3, #2, #1)" in pdf  # the rounds looked at, as the printed report names them


async def _dt_treasurers(cli: Cli) -> None:
    async with open_database(cli.database) as db:
        at = datetime(2026, 12, 1, tzinfo=UTC)
        await add_rep(db, Rep("telegram", "5001", "DT", RepRole.TREASURER, "Bu Siti"), at)
        await add_rep(db, Rep("whatsapp", "6281234567890", "DT", RepRole.TREASURER, ""), at)


async def every_payment(db: Database, round_ids: list[int]) -> list[Paid]:
    """Every payment recorded against the rounds' bills, as each round's log after its close
    shows it (`storage.after_close.after_close_steps`, what the round's export lists)."""
    paid = []
    for round_id in round_ids:
        for step in await after_close_steps(db, round_id):
            if step.kind is StepKind.PAYMENT:
                assert step.amount is not None and step.paid_on is not None
                paid.append(
                    Paid(round_id, step.party, step.supplier_code, step.amount, step.paid_on)
                )
    return paid


def test_the_payments_report_counts_bills_as_the_shortages_and_receipts_left_them(
    cli: Cli, tmp_path: Path
) -> None:
    # Bulog's shortage leaves #1's rice at DT 16, KKPITB 16, KOPERTIS4 12; KKPITB received 14.
    # DT: 16×630.000 + 12×122.000 = 11.544.000, paid 14.064.000 on 7 Dec: on time. KKPITB:
    # 14×630.000 = 8.820.000, paid 12.600.000 on 10 Dec: late. KOPERTIS4: 12×630.000 =
    # 7.560.000 open, past due. The report reads each bill's total its close kept and adds
    # those changes: the same figures as every bill computed from its lines.
    _three_closed_rounds(cli)
    asyncio.run(_after_the_first_close(cli.database))
    cli.now = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
    statement = tmp_path / "mutasi.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cli.ok("payments", "import", str(statement), "--by", "Bu Ani")

    report = cli.ok("report", "payments")

    figures = dict((line.split()[1], line.partition(": ")[2]) for line in report.splitlines()[1:-1])
    assert figures["KOPERTIS4"] == (
        "1 tagihan: 0 lunas tepat waktu, 0 lunas terlambat, 1 belum lunas "
        "(sisa Rp 7.560.000, 1 lewat jatuh tempo)"
    )
    assert figures["KKPITB"].startswith("2 tagihan: 0 lunas tepat waktu, 1 lunas terlambat, ")
    assert figures["DT"] == "2 tagihan: 2 lunas tepat waktu, 0 lunas terlambat, 0 belum lunas"

    async def both() -> tuple[PaymentReport, PaymentReport]:
        async with open_database(cli.database) as db:
            bills = await payments.bills_due(db)
            paid = await every_payment(db, sorted({bill.round_id for bill in bills}))
            every_bill = payment_report(bills, paid, 7, cli.now)
            return every_bill, await payment_discipline(db, cli.now, 7)

    every_bill, counted = asyncio.run(both())
    assert counted == every_bill and counted.total.owed == 7_560_000 + 610_000 + 190_000 + 610_000
