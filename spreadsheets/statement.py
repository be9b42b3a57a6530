"""Reading a bank statement (mutasi rekening) exported as CSV or XLSX.

The format (docs/settlement.md): a header row, then one row per transaction, with at
least a date (`tanggal` / `date`), a description (`keterangan` / `description`) and an
amount (`jumlah` / `amount`); other named columns (branch, balance) are ignored; a value
beyond the header's columns refuses its row, except in a CR/DB column right after the
amount. Dates are `2026-12-07`, `2026/12/07`, `07/12/2026`, `07-12-2026` or, the day
first, with two digits of the year (`07/12/26`); amounts are Rupiah written `1250000`,
`1.250.000`, `Rp 1.250.000,00`, `Rp 125.000,-` or `1,250,000.00`, to the cent (`1.234,56`,
read as `StatementLine.cents`), a credit unless negative (`-Rp 2.500.000`, `Rp-2.500.000`,
`2.500.000,00-`) or marked `DB` (a trailing `CR` marks a credit). A file with any
unreadable row, or a row dated after the day it is read (`latest_statement_day`), is refused
whole, each problem named by row and column.

A bank's own download is read too (`spreadsheets.bank_bca`, the KlikBCA layout): lines
above the header, a period giving the year of `'30/12`, pending (`PEND`) and summary lines
skipped, and a CR/DB column after the amount.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

from purchasing.settlement import StatementLine, latest_statement_day
from spreadsheets import bank_bca
from spreadsheets.bank_bca import Located, Period
from spreadsheets.cells import RowReader, cell_text
from spreadsheets.columns import find
from spreadsheets.errors import (
    BadAmount,
    BadDate,
    FutureDate,
    ImportFailed,
    ImportProblem,
    MissingColumn,
    NoRows,
)
from spreadsheets.table import Table, read_tables

# A file whose name holds one of these words is a bank statement, not a catalog list.
STATEMENT_WORDS = frozenset({"mutasi", "rekening", "statement", "rekkoran"})
DATE = ("tanggal", "date", "tanggal_transaksi", "tgl")
DESCRIPTION = ("keterangan", "description", "uraian", "berita")
AMOUNT = ("jumlah", "amount", "nominal", "mutasi")
FIELDS = (DATE, DESCRIPTION, AMOUNT)
DESCRIPTION_LIMIT = 300

_ISO = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")  # 2026-12-07, 2026/12/07
_DMY = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4}|\d{2})")  # 07/12/2026, 07-12-26
_MARK = re.compile(r"\s*(CR|DB|K|D)\s*$", re.IGNORECASE)
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?")
_PLAIN = re.compile(r"\d+(?:[.,]\d{1,2})?")


def is_statement(name: str) -> bool:
    """Whether a file sent by staff is a bank statement ("mutasi-desember.csv")."""
    return bool(set(re.split(r"[^a-z]+", Path(name).stem.lower())) & STATEMENT_WORDS)


def read_statement(path: Path, name: str, *, today: date) -> list[StatementLine]:
    """Every booked transaction of the statement in `path` (called `name` in messages),
    imported on `today` (the office's day): a date after it, beyond a day's slack, is a
    problem of its row (`purchasing.settlement.latest_statement_day`)."""
    try:
        tables = read_tables(path)
    except ImportProblem as problem:
        raise ImportFailed(name, [problem]) from problem
    problems: list[ImportProblem] = []
    lines = _lines(bank_bca.locate(tables[0], FIELDS), name, problems, today)
    if problems:
        raise ImportFailed(name, problems)
    return lines


def _lines(
    located: Located, name: str, problems: list[ImportProblem], today: date
) -> list[StatementLine]:
    table = located.table
    columns = _columns(table, name, problems)
    if columns is None:
        return []
    if not table.rows:
        problems.append(NoRows(file=name, row=table.header_row))
        return []
    period = bank_bca.read_period(located, problems)
    mark = bank_bca.mark_column(table, columns[2])
    read_up_to = 0 if mark is None else mark + 1  # a CR/DB column may come after the header
    lines = []
    for number, cells in table.rows:
        row = RowReader(table, number, cells, problems)
        when = row.cell(columns[0])
        if bank_bca.is_pending(when) or bank_bca.is_summary(when) or not row.fits(read_up_to):
            continue
        if line := _line(row, columns, mark, period, today):
            lines.append(line)
    return lines


def _columns(table: Table, name: str, problems: list[ImportProblem]) -> tuple[int, int, int] | None:
    """The date, description and amount columns; None (and a problem each) when missing."""
    columns = [find(table, names) for names in FIELDS]
    for index, names in zip(columns, FIELDS, strict=True):
        if index is None:
            problems.append(
                MissingColumn(file=name, row=table.header_row, column=names[0],
                              value=", ".join(names))
            )  # fmt: skip
    when, what, how_much = columns
    if when is None or what is None or how_much is None:
        return None
    return when, what, how_much


def _line(
    row: RowReader,
    columns: tuple[int, int, int],
    mark: int | None,
    period: Period | None,
    today: date,
) -> StatementLine | None:
    when, what, how_much = columns
    on = _date(bank_bca.bare(row.cell(when)), period)
    if on is None:
        row.problem(BadDate, when, cell_text(row.cell(when)))
    elif on > latest_statement_day(today):
        written = cell_text(row.cell(when))
        row.problem(FutureDate, when, written, read_as=on.isoformat(), today=today.isoformat())
    mark_text = bank_bca.bare(row.cell(mark)) if mark is not None else ""
    cents = bank_bca.marked(_cents(row.cell(how_much)), mark_text)
    if cents is None:
        row.problem(BadAmount, how_much, f"{cell_text(row.cell(how_much))} {mark_text}".strip())
    text = row.text(what, limit=DESCRIPTION_LIMIT, required=False, one_line=False)
    if row.ok and on is not None and cents is not None:
        return StatementLine.of_cents(row.row, on, text, cents)
    return None


def _date(text: str, period: Period | None) -> date | None:
    text = text.strip().split(" ")[0]
    if match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := _DMY.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), bank_bca.full_year(match[4])
    else:
        return period.day(text) if period is not None else None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cents(cell: object) -> int | None:
    """The amount in hundredths of a Rupiah (a whole Rupiah is 100), negative for a debit;
    None when unreadable, nothing, or finer than a cent. Text may carry `Rp`/`IDR`, the
    Rupiah dash (`125.000,-`), a trailing `CR`/`DB` and one sign: before or after `Rp`, or
    after the number (`2.500.000,00-`); a minus marked `CR` says two things, and is refused."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        cents = round(cell * 100)  # 100.5 is 10050; 12.345 has a digit too many
        whole_cents = math.isclose(cell * 100, cents, rel_tol=1e-12, abs_tol=1e-9)
        return cents if cents != 0 and whole_cents else None
    text = cell_text(cell).replace("\u00a0", " ").replace("\u2212", "-").strip()
    marked = 0
    if mark := _MARK.search(text):
        marked = -1 if mark.group(1).upper() in ("DB", "D") else 1
        text = text[: mark.start()].strip()
    signs = []
    text = text.removesuffix(",-")
    if text.endswith("-"):
        signs.append("-")
        text = text[:-1].rstrip()
    for _ in range(2):  # a sign before "Rp", then one after it
        if text[:1] in ("-", "+"):
            signs.append(text[0])
            text = text[1:].lstrip()
        text = re.sub(r"^(?:rp|idr)\.?", "", text, count=1, flags=re.IGNORECASE).lstrip()
    negative = signs == ["-"]
    if len(signs) > 1 or (negative and marked == 1):
        return None
    return _in_cents(text, -1 if negative or marked == -1 else 1)


def _in_cents(text: str, sign: int) -> int | None:
    if _DOT_THOUSANDS.fullmatch(text) and ("." in text or "," not in text):
        whole, _, cents = text.partition(",")
        digits = whole.replace(".", "")
    elif _COMMA_THOUSANDS.fullmatch(text):
        whole, _, cents = text.partition(".")
        digits = whole.replace(",", "")
    elif _PLAIN.fullmatch(text):
        digits, _, cents = text.replace(",", ".").partition(".")
    else:
        return None
    amount = int(digits) * 100 + int(cents.ljust(2, "0") if cents else 0)
    return sign * amount if amount else None
