"""What the BCA download (KlikBCA "mutasi rekening" as CSV) adds to a plain bank statement.

The plain layout (`spreadsheets.statement`) is a header row and one row per transaction.
The file KlikBCA gives looks like this instead (docs/settlement.md):

    No. rekening,=,'0123456789              <- the preamble, above the header: skipped,
    Nama,=,JUK KOTA BANDUNG                    except the period, which gives the year
    Periode,=,28/12/2026 - 04/01/2027
    Kode Mata Uang,=,Rp

    Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo
    '30/12,TRSF E-BANKING CR ... TG-001-DT,'0000,12800000.00,CR,12800000.00
    PEND,TRSF E-BANKING CR ...,'0000,9600000.00,CR,22400000.00
    '02/01,BIAYA ADM,'0000,10000.00,DB,22390000.00
    Saldo Awal,=,0.00                       <- the summary: skipped
    Mutasi Kredit,=,22400000.00
    Mutasi Debet,=,10000.00
    Saldo Akhir,=,22390000.00

(the preamble and summary are also written `Periode : 28/12/2026 - 04/01/2027`, one cell).
- A date is `'30/12`: the apostrophe keeps spreadsheet programs from reading it as a number,
  and the year is the one that puts the day in the statement's period (or nearest to it),
  so a December-to-January statement gets both years right (`Period.day`).
- `PEND` instead of a date is a transfer the bank has not booked yet: it has no date, and the
  next download shows it booked, with its date. It is skipped (`is_pending`), so it is recorded
  once, from the download where it is booked.
- The amount is unsigned; the unnamed column after it says `CR` (money in) or `DB` (money out)
  (`mark_column`, `marked`).
These rules hold for any statement file. A file the plain layout could read is read the
same, but for one with CR/DB in an unnamed column after the amount: its debits used to be
read as credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spreadsheets.cells import cell_text
from spreadsheets.columns import find
from spreadsheets.errors import BadDate, ImportProblem
from spreadsheets.table import Table, header_name, is_blank

Row = tuple[int, tuple[object, ...]]

PERIOD_LABELS = ("periode", "period")
SUMMARY_LABELS = ("saldo_awal", "mutasi_kredit", "mutasi_debet", "mutasi_debit", "saldo_akhir")
PENDING = "PEND"
MARKS = {"CR": 1, "DB": -1}
PERIOD_SLACK_DAYS = 31  # a day further than this from the period is not one of its days

_FULL_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?!\d)")
_DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Located:
    """A statement's table with its header found: the rows above it are the preamble."""

    table: Table
    preamble: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a statement covers, as its preamble says (`Periode`)."""

    start: date
    end: date

    def distance(self, day: date) -> int:
        """Days between `day` and the period: 0 inside it."""
        if day < self.start:
            return (self.start - day).days
        return max(0, (day - self.end).days)

    def day(self, text: str) -> date | None:
        """`30/12` as a day of the period, or None when it cannot be one."""
        match = _DAY_MONTH.fullmatch(text)
        if match is None:
            return None
        days = [
            candidate
            for year in range(self.start.year - 1, self.end.year + 2)
            if (candidate := _date(year, int(match.group(2)), int(match.group(1)))) is not None
        ]
        nearest = min(days, key=self.distance, default=None)
        if nearest is None or self.distance(nearest) > PERIOD_SLACK_DAYS:
            return None
        return nearest


def locate(table: Table, fields: tuple[tuple[str, ...], ...]) -> Located:
    """The table read from its header row: the first row naming every field. A table with no
    such row is returned as it is, so its first row is reported as the header it lacks."""
    if _names_all(table, fields):
        return Located(table)
    for position, (number, cells) in enumerate(table.rows):
        candidate = Table(
            file=table.file,
            sheet=table.sheet,
            header_row=number,
            header=tuple(header_name(cell) for cell in cells),
            labels=tuple(str(cell or "").strip() for cell in cells),
            rows=table.rows[position + 1 :],
            separator=table.separator,
        )
        if _names_all(candidate, fields):
            first = (table.header_row, tuple[object, ...](table.labels))
            return Located(candidate, (first, *table.rows[:position]))
    return Located(table)


def read_period(located: Located, problems: list[ImportProblem]) -> Period | None:
    """The period the preamble names, if it names one; an unreadable one is a problem."""
    for number, cells in located.preamble:
        text = " ".join(cell_text(cell) for cell in cells if not is_blank(cell))
        if not header_name(text).startswith(PERIOD_LABELS):
            continue
        period = _period(text)
        if period is None:
            table = located.table
            problems.append(
                BadDate(file=table.file, sheet=table.sheet, row=number, column="A", value=text)
            )
        return period
    return None


def bare(cell: object) -> str:
    """A cell's text without the apostrophe written before it to keep it text."""
    return cell_text(cell).removeprefix("'").strip()


def is_pending(date_cell: object) -> bool:
    """A transfer the bank has not booked yet (`PEND` where the date goes)."""
    return bare(date_cell).upper() == PENDING


def is_summary(date_cell: object) -> bool:
    """A summary line below the transactions (`Saldo Awal`, `Mutasi Kredit`, ...)."""
    return header_name(bare(date_cell)).startswith(SUMMARY_LABELS)


def mark_column(table: Table, amount: int) -> int | None:
    """The unnamed column right after the amount, when it holds CR/DB marks: in the header
    (`Jumlah,,Saldo`) or past its end (`Jumlah` last, the rows `...,500000.00,CR`)."""
    index = amount + 1
    if index < len(table.header) and table.header[index]:
        return None
    marks = {bare(cells[index]).upper() for _, cells in table.rows if index < len(cells)}
    return index if marks & MARKS.keys() else None


def marked(amount: int | None, mark: str) -> int | None:
    """The amount signed by its mark: None for an unknown mark or an amount already signed."""
    if not mark.strip() or amount is None:
        return amount
    sign = MARKS.get(mark.strip().upper())
    if sign is None or amount < 0:
        return None
    return sign * amount


def _names_all(table: Table, fields: tuple[tuple[str, ...], ...]) -> bool:
    return all(find(table, names) is not None for names in fields)


def full_year(digits: str) -> int:
    """A date's year as written: `2026`, or `26` for 2026 (banks and spreadsheets write two
    digits for this century's years)."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def _period(text: str) -> Period | None:
    days = [_date(full_year(y), int(m), int(d)) for d, m, y in _FULL_DATE.findall(text)]
    if not days or len(days) > 2 or None in days:
        return None
    start, end = days[0], days[-1]
    if start is None or end is None or end < start:
        return None
    return Period(start, end)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
