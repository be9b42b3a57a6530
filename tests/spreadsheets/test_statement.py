"""A bank statement exported as CSV: the usual Indonesian and English forms are read, a file
with an unreadable row is refused whole with the row and column named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from spreadsheets.errors import ImportFailed
from spreadsheets.statement import read_statement

TODAY = date(2027, 1, 31)  # the day the files are read: after every line in them


def write(tmp_path: Path, text: str, name: str = "mutasi.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_an_indonesian_statement_with_semicolons_and_dotted_thousands(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Tanggal;Keterangan;Cabang;Jumlah;Saldo\n"
        "07/12/2026;TRSF E-BANKING TG-007-DT;0001;1.250.000,00;9.000.000\n"
        "08/12/2026;BIAYA ADM;0000;-5.000;8.995.000\n",
    )

    lines = read_statement(path, "mutasi.csv", today=TODAY)

    assert [(line.line_no, line.on, line.amount) for line in lines] == [
        (2, date(2026, 12, 7), 1_250_000),
        (3, date(2026, 12, 8), -5_000),
    ]
    assert lines[0].description == "TRSF E-BANKING TG-007-DT"


def test_an_english_statement_marking_credits_and_debits(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Date,Description,Amount\n"
        '2026-12-07,"TRANSFER FROM SITI, TG-007-DT","1,250,000.00 CR"\n'
        '2026-12-07,ADMIN FEE,"6,500.00 DB"\n',
    )

    assert [line.amount for line in read_statement(path, "statement.csv", today=TODAY)] == [
        1_250_000,
        -6_500,
    ]


def test_a_statement_with_an_unreadable_row_is_refused_and_names_the_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tanggal,keterangan,jumlah\n7 Desember,TRANSFER,500000\n2026-12-07,TRANSFER,12.5.0\n",
    )

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    problems = [(p.key, p.params["row"]) for p in refused.value.problems]
    assert problems == [("import_bad_date", 2), ("import_bad_amount", 3)]


def test_a_file_without_the_three_columns_is_not_a_statement(tmp_path: Path) -> None:
    path = write(tmp_path, "kode,nama\nDT,Daarut Tauhid\n", "koperasi.csv")

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "koperasi.csv", today=TODAY)

    missing = [p.params["column"] for p in refused.value.problems]
    assert missing == ["tanggal", "keterangan", "jumlah"]


def test_a_description_with_an_unquoted_comma_is_refused_not_cut_before_the_bill(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "tanggal,jumlah,keterangan\n2026-12-07,500000,TRANSFER,,\n"
        "2026-12-08,1250000,TRSF DARI SITI, TG-007-DT\n",
    )

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    [problem] = refused.value.problems
    assert (problem.key, problem.params["row"], problem.params["value"]) == (
        "import_extra_cells", 3, "TG-007-DT"
    )  # fmt: skip


def test_amounts_with_cents_are_read_to_the_cent_whole_ones_as_before(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tanggal;keterangan;jumlah\n"
        "31/12/2026;BUNGA;1.234,56\n31/12/2026;PAJAK BUNGA;-246,91\n"
        "31/12/2026;TG-007-DT;1.250.000,00\n31/12/2026;BUNGA;0,50\n",
    )

    lines = read_statement(path, "mutasi.csv", today=TODAY)

    assert [(line.amount, line.cents, line.credit) for line in lines] == [
        (1_234, 56, True), (-246, -91, False), (1_250_000, 0, True), (0, 50, True)
    ]  # fmt: skip


def test_an_xlsx_statement_with_cents_in_number_cells_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(("tanggal", "keterangan", "jumlah"))
    sheet.append(("2026-12-31", "BUNGA", 100.50))
    sheet.append(("2026-12-31", "PAJAK", -2500.5))
    sheet.append(("2026-12-31", "TG-007-DT", 1250000.0))
    sheet.append(("2026-12-31", "SALAH BACA", 12.345))
    path = tmp_path / "mutasi.xlsx"
    workbook.save(path)

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.xlsx", today=TODAY)
    [problem] = refused.value.problems
    sheet.delete_rows(5)
    workbook.save(path)
    lines = read_statement(path, "mutasi.xlsx", today=TODAY)

    assert (problem.key, problem.params["row"]) == ("import_bad_amount", 5)
    assert [(line.amount, line.cents) for line in lines] == [
        (100, 50), (-2_500, -50), (1_250_000, 0)
    ]  # fmt: skip


def test_amounts_as_indonesian_banks_and_spreadsheets_write_them_negatives_going_out(
    tmp_path: Path,
) -> None:
    written = [
        ("854.000,-", 854_000), ("Rp125.000,-", 125_000), ("Rp 125.000,-", 125_000),
        ("-Rp 2.500.000", -2_500_000), ("Rp-2.500.000", -2_500_000),
        ("Rp -2.500.000", -2_500_000), ("2.500.000,00-", -2_500_000),
        ("2.500.000-", -2_500_000), ("-Rp2.500.000,-", -2_500_000),
        ("\u22122.500.000", -2_500_000), ("IDR 1,250,000.00", 1_250_000),
    ]  # fmt: skip
    rows = "".join(f"2026-12-07;TRANSFER;{amount}\n" for amount, _ in written)
    path = write(tmp_path, f"tanggal;keterangan;jumlah\n{rows}")

    assert [line.amount for line in read_statement(path, "mutasi.csv", today=TODAY)] == [
        amount for _, amount in written
    ]


def test_an_amount_with_two_signs_or_a_minus_marked_as_money_in_is_refused(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "tanggal;keterangan;jumlah\n2026-12-07;A;--2.500.000\n2026-12-07;B;-Rp 2.500.000-\n"
        "2026-12-07;C;-2.500.000 CR\n2026-12-07;D;Rp 2.500.000,--\n",
    )

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    assert [(p.key, p.params["row"]) for p in refused.value.problems] == [
        ("import_bad_amount", row) for row in (2, 3, 4, 5)
    ]


def test_dates_with_a_two_digit_year_day_first_or_the_year_first_with_slashes(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "tanggal,keterangan,jumlah\n07/12/26,A,1000\n2026/12/07,B,1000\n07-12-26 10:15,C,1000\n"
        "2026-12-07,D,1000\n07/12/2026,E,1000\n",
    )

    assert {line.on for line in read_statement(path, "mutasi.csv", today=TODAY)} == {
        date(2026, 12, 7)
    }


def test_a_date_with_mixed_separators_or_a_three_digit_year_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "tanggal,keterangan,jumlah\n2026/12-07,A,1000\n07/12/202,B,1000\n")

    with pytest.raises(ImportFailed) as refused:
        read_statement(path, "mutasi.csv", today=TODAY)

    assert [(p.key, p.params["row"]) for p in refused.value.problems] == [
        ("import_bad_date", 2), ("import_bad_date", 3)
    ]  # fmt: skip
