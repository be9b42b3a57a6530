"""The Dinas downloads the account's mutasi from KlikBCA and hands the CSV to the bot as it
is: the lines above the header and the summary below are skipped, `'07/12` gets its year
from the period, a pending (`PEND`) transfer waits for the download where it is booked, and
the CR/DB column says which way the money went."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from purchasing.settlement import BillDue
from spreadsheets.errors import ImportFailed
from spreadsheets.statement import read_statement
from storage import payments
from storage.database import open_database
from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli

HEADER = "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
SUMMARY = (
    "Saldo Awal : 0.00\n"
    "Mutasi Kredit : 22400000.00\n"
    "Mutasi Debet : 10000.00\n"
    "Saldo Akhir : 22390000.00\n"
)

TODAY = date(2027, 1, 31)  # the day the files are read: after every line in them


def download(tmp_path: Path, period: str, rows: str, name: str = "mutasi.csv") -> Path:
    path = tmp_path / name
    preamble = f"No. rekening : 0987654321\nNama : JUK KOTA BANDUNG\nPeriode : {period}\n"
    path.write_text(f"{preamble}Kode Mata Uang : Rp\n\n{HEADER}{rows}{SUMMARY}", "utf-8")
    return path


def booked(path: Path) -> list[tuple[int, date, int]]:
    return [
        (line.line_no, line.on, line.amount)
        for line in read_statement(path, path.name, today=TODAY)
    ]


def test_staff_import_the_december_download_three_credits_a_fee_and_no_pending_or_summary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mutasi-desember.csv"
    path.write_text(
        "No. rekening,=,'0987654321\nNama,=,JUK KOTA BANDUNG\n"
        "Periode,=,01/12/2026 - 08/12/2026\nKode Mata Uang,=,Rp\n\n"
        f"{HEADER}"
        "'02/12,TRSF E-BANKING CR 0212/FTSCY/WS95031 12800000.00 TG-001-DT SITI,'0000,"
        "12800000.00,CR,12800000.00\n"
        "'03/12,SETORAN TUNAI KKP ITB,'0123,9600000.00,CR,22400000.00\n"
        "'04/12,BIAYA ADM,'0000,10000.00,DB,22390000.00\n"
        "'07/12,BUNGA,'0000,1234.00,CR,22391234.00\n"
        "PEND,TRSF E-BANKING CR 0812/FTSCY/WS95031 500000.00 TG-001-PAS,'0000,500000.00,CR,\n"
        "Saldo Awal,=,0.00\nMutasi Kredit,=,22401234.00\n"
        "Mutasi Debet,=,10000.00\nSaldo Akhir,=,22391234.00\n",
        "utf-8",
    )

    lines = read_statement(path, path.name, today=TODAY)

    assert [(line.line_no, line.on, line.amount) for line in lines] == [
        (7, date(2026, 12, 2), 12_800_000),
        (8, date(2026, 12, 3), 9_600_000),
        (9, date(2026, 12, 4), -10_000),
        (10, date(2026, 12, 7), 1_234),
    ]
    assert lines[0].description == "TRSF E-BANKING CR 0212/FTSCY/WS95031 12800000.00 TG-001-DT SITI"


def test_a_download_from_december_to_january_dates_each_line_in_its_own_year(
    tmp_path: Path,
) -> None:
    path = download(
        tmp_path,
        "28/12/2026 - 04/01/2027",
        "'30/12,TRSF E-BANKING CR TG-001-DT,'0000,12800000.00,CR,12800000.00\n"
        "'02/01,BIAYA ADM,'0000,10000.00,DB,12790000.00\n",
    )

    assert booked(path) == [(7, date(2026, 12, 30), 12_800_000), (8, date(2027, 1, 2), -10_000)]


def test_a_period_written_with_two_digit_years_dates_its_lines_as_well(tmp_path: Path) -> None:
    path = download(
        tmp_path,
        "28/12/26 - 04/01/27",
        "'30/12,TRSF E-BANKING CR TG-001-DT,'0000,12800000.00,CR,12800000.00\n"
        "'02/01/27,BIAYA ADM,'0000,10000.00,DB,12790000.00\n",
    )

    assert booked(path) == [(7, date(2026, 12, 30), 12_800_000), (8, date(2027, 1, 2), -10_000)]


def test_a_day_outside_the_period_takes_the_nearest_year_and_a_full_date_keeps_its_own(
    tmp_path: Path,
) -> None:
    path = download(
        tmp_path,
        "02/01/2027 - 08/01/2027",
        "'31/12,TRSF E-BANKING CR TG-001-DT,'0000,500000.00,CR,500000.00\n"
        "'05/01/2027,TRSF E-BANKING CR TG-001-PAS,'0000,700000.00,CR,1200000.00\n",
    )

    assert booked(path) == [(7, date(2026, 12, 31), 500_000), (8, date(2027, 1, 5), 700_000)]


def test_a_download_without_its_period_is_refused_at_each_date_without_a_year(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mutasi.csv"
    path.write_text(f"{HEADER}'07/12,TRANSFER,'0000,500000.00,CR,500000.00\n{SUMMARY}", "utf-8")

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    [problem] = refused.value.problems
    assert (problem.key, problem.params["row"], problem.params["value"]) == (
        "import_bad_date", 2, "'07/12"
    )  # fmt: skip


def test_a_period_that_is_not_two_dates_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = download(tmp_path, "Desember 2026", "'07/12,TRANSFER,'0000,500000.00,CR,500000.00\n")

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    problems = [(p.key, p.params["row"], p.params["value"]) for p in refused.value.problems]
    assert problems == [
        ("import_bad_date", 3, "Periode : Desember 2026"),
        ("import_bad_date", 7, "'07/12"),
    ]


def test_a_mark_that_is_neither_cr_nor_db_is_refused_with_the_amount_it_marks(
    tmp_path: Path,
) -> None:
    path = download(
        tmp_path,
        "01/12/2026 - 08/12/2026",
        "'07/12,TRANSFER,'0000,500000.00,CR,500000.00\n'07/12,TARIK,'0000,50000.00,XX,450000.00\n",
    )

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    [problem] = refused.value.problems
    assert (problem.key, problem.params["row"], problem.params["value"]) == (
        "import_bad_amount", 8, "50000.00 XX"
    )  # fmt: skip
    assert problem.params["column"] == "D (Jumlah)"


def test_a_plain_file_with_a_cr_db_column_reads_its_debits_as_money_going_out(
    tmp_path: Path,
) -> None:
    marked = tmp_path / "mutasi.csv"
    marked.write_text(
        "tanggal,keterangan,jumlah,,saldo\n2026-12-07,TG-001-DT,500000,CR,500000\n"
        "2026-12-08,TARIK TUNAI,500000,DB,0\n",
        "utf-8",
    )
    notes = tmp_path / "statement.csv"
    notes.write_text("tanggal,keterangan,jumlah,\n2026-12-07,TG-001-DT,500000,cek lagi\n", "utf-8")

    assert [line.amount for line in read_statement(marked, marked.name, today=TODAY)] == [
        500_000,
        -500_000,
    ]
    assert [line.amount for line in read_statement(notes, notes.name, today=TODAY)] == [500_000]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_cr_db_column_past_the_last_header_says_which_way_the_money_went(
    tmp_path: Path, suffix: str
) -> None:
    rows = [
        ("tanggal", "keterangan", "jumlah"),
        ("2026-12-07", "TG-001-DT", "500000", "CR"),
        ("2026-12-08", "TARIK TUNAI", "500000", "DB"),
    ]
    path = tmp_path / f"mutasi{suffix}"
    if suffix == ".csv":
        path.write_text("".join(",".join(row) + "\n" for row in rows), "utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        workbook.save(path)

    assert [line.amount for line in read_statement(path, path.name, today=TODAY)] == [
        500_000,
        -500_000,
    ]


def test_an_unquoted_comma_in_a_downloaded_description_refuses_its_row(tmp_path: Path) -> None:
    path = download(
        tmp_path,
        "01/12/2026 - 08/12/2026",
        "'05/12,BIAYA ADM,'0000,15000.00,DB,235000.00\n"
        "'07/12,TRSF E-BANKING CR TG-001-DT, SITI,'0000,500000.00,CR,735000.00\n",
    )

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    [problem] = refused.value.problems
    assert {key: problem.params[key] for key in ("row", "column", "value", "separator")} == {
        "row": 8, "column": "G", "value": "735000.00", "separator": ","
    }  # fmt: skip


def test_a_file_with_lines_above_no_header_is_still_refused_naming_the_missing_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mutasi.csv"
    path.write_text("No. rekening : 0987654321\nPeriode : 01/12/2026 - 08/12/2026\n", "utf-8")

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    missing = [(p.key, p.params["row"], p.params["column"]) for p in refused.value.problems]
    assert missing == [
        ("import_missing_column", 1, "tanggal"),
        ("import_missing_column", 1, "keterangan"),
        ("import_missing_column", 1, "jumlah"),
    ]


def test_the_example_download_reads_its_booked_lines() -> None:
    assert booked(EXAMPLES / "mutasi-bca.csv") == [
        (7, date(2026, 12, 5), -15_000),
        (8, date(2026, 12, 7), 12_800_000),
        (9, date(2026, 12, 8), 1_464_000),
    ]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1 closed: DT owes Rp 12.800.000, KKPITB Rp 9.600.000, KOPERTIS4 Rp 1.464.000."""
    cli = Cli(tmp_path, capsys)
    cli.with_closed_round()
    return cli


def paid(cli: Cli) -> dict[str, int]:
    async def read() -> list[BillDue]:
        async with open_database(cli.database) as db:
            return await payments.bills_due(db)

    return {bill.coop_code: bill.paid for bill in asyncio.run(read())}


def test_dinas_imports_the_klikbca_download_and_the_pending_transfer_once_it_is_booked(
    cli: Cli, tmp_path: Path
) -> None:
    next_download = download(
        tmp_path,
        "01/12/2026 - 09/12/2026",
        "'05/12,BIAYA ADM,'0000,15000.00,DB,235000.00\n"
        "'07/12,TRSF E-BANKING CR 0712/FTSCY/WS95031 12800000.00 TG-001-DT SITI AMINAH,'0000,"
        "12800000.00,CR,13035000.00\n"
        "'08/12,SWITCHING CR TRF 0812 BANK BJB TG-001-KOPERTIS4 DEDI SUPRIADI,'0000,"
        "1464000.00,CR,14499000.00\n"
        "'09/12,TRSF E-BANKING CR 0812/FTSCY/WS95031 9600000.00 TG-001-KKPITB RINA MARLINA,"
        "'0000,9600000.00,CR,24099000.00\n",
        name="mutasi-bca-9-desember.csv",
    )

    cli.now += timedelta(days=2)  # Tuesday 8 December, the example's last day
    first = cli.ok("payments", "import", str(EXAMPLES / "mutasi-bca.csv"))
    owing = paid(cli)
    cli.now += timedelta(days=1)
    second = cli.ok("payments", "import", str(next_download))

    assert "mutasi-bca.csv: 2 pembayaran dicatat, 1 uang keluar dilewati" in first
    assert "baris 8: Rp 12.800.000 untuk TG-001-DT (Kopontren Daarut Tauhid), lunas" in first
    assert "baris 9: Rp 1.464.000 untuk TG-001-KOPERTIS4" in first
    assert "TG-001-KKPITB" not in first
    assert owing == {"DT": 12_800_000, "KKPITB": 0, "KOPERTIS4": 1_464_000}
    assert "1 pembayaran dicatat, 2 baris sudah dicatat sebelumnya" in second
    assert "baris 10: Rp 9.600.000 untuk TG-001-KKPITB" in second
    assert paid(cli) == {"DT": 12_800_000, "KKPITB": 9_600_000, "KOPERTIS4": 1_464_000}


def test_month_end_interest_and_its_tax_with_cents_are_listed_not_refused(
    cli: Cli, tmp_path: Path
) -> None:
    cli.now += timedelta(days=26)  # Saturday 1 January 2027
    path = download(
        tmp_path,
        "28/12/2026 - 31/12/2026",
        "'29/12,TRSF E-BANKING CR TG-001-KKPITB,'0000,9600000.00,CR,9600000.00\n"
        "'30/12,BUNGA,'0000,1234.56,CR,9601234.56\n"
        "'31/12,PAJAK BUNGA,'0000,246.91,DB,9600987.65\n",
        name="mutasi-akhir-desember.csv",
    )

    imported = cli.ok("payments", "import", str(path))

    assert "1 pembayaran dicatat, 1 uang keluar dilewati." in imported
    assert "baris 7: Rp 9.600.000 untuk TG-001-KKPITB" in imported
    assert (
        "Tidak dicatat, tidak cocok dengan tagihan mana pun:\n"
        "- baris 8: Rabu, 30 Des 2026 Rp 1.234,56 «BUNGA»\n"
    ) in imported
    assert paid(cli) == {"DT": 0, "KKPITB": 9_600_000, "KOPERTIS4": 0}


def test_a_download_dated_after_today_is_refused_naming_each_line_and_records_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    """On Tuesday 8 December 2026 the period says 2026-2027: its days are weeks ahead."""
    cli.now += timedelta(days=2)  # Tuesday 8 December 2026, 08:00 WIB
    path = download(
        tmp_path,
        "28/12/2026 - 04/01/2027",
        "'30/12,TRSF E-BANKING CR TG-001-DT,'0000,12800000.00,CR,12800000.00\n"
        "'02/01,TRSF E-BANKING CR TG-001-KKPITB,'0000,9600000.00,CR,22400000.00\n",
    )

    message = cli.failed("payments", "import", str(path), lines=3)

    assert "mutasi.csv tidak dimuat. Ada 2 masalah" in message
    assert (
        "mutasi.csv, baris 8, kolom A (Tanggal Transaksi): '02/01 dibaca Sabtu, 2 Jan 2027: "
        "sesudah hari ini (Selasa, 8 Des 2026), padahal mutasi hanya berisi transaksi yang "
        "sudah terjadi. Periksa tahunnya (dan tahun di baris Periode, bila ada)."
    ) in message
    assert paid(cli) == {"DT": 0, "KKPITB": 0, "KOPERTIS4": 0}


def test_a_line_dated_tomorrow_is_taken_a_bank_may_be_a_zone_ahead(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "mutasi.csv"
    path.write_text(
        "tanggal,keterangan,jumlah\n2026-12-07,TG-001-DT,1000\n2026-12-08,TG-001-DT,1000\n",
        "utf-8",
    )

    message = cli.failed("payments", "import", str(path), lines=2)  # on Sunday 6 December
    cli.now += timedelta(days=1)
    imported = cli.ok("payments", "import", str(path))

    assert "baris 3, kolom A (tanggal): 2026-12-08 dibaca Selasa, 8 Des 2026" in message
    assert "2 pembayaran dicatat" in imported
