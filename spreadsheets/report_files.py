"""The reports across closed rounds as files: `<name>.xlsx`, `<name>.csv` and `<name>.pdf`.

A report becomes one `ReportTable` (a title, a header, rows, which columns are Rupiah) in the
reader's language (`ReportWords`: the lines of `messages/templates/<lang>/report_files/
words.j2`, "key: words", rendered by `usecases.reports`); `write_report_files` writes it
three ways. The CSV is as a round's export: UTF-8 with a BOM, ";" between fields, text that
looks like a formula ("=HYPERLINK(…)" as a coop's name) behind an apostrophe; in the XLSX
such text stays text (`keep_text`). A day (a round's close, a delivery) is a `date` in the
table, worked out in the office's zone: a real date cell in the XLSX (`DAY_FORMAT`,
"03-12-2026", as the pages write it, so Excel sorts and filters by it), ISO text in the CSV
("2026-12-03", which every program reads the same), "03-12-2026" in the PDF. The PDF is an
A4 page of `spreadsheets.pdf`, on its side when the table has more than `PORTRAIT_COLUMNS`
columns (every report has 8 to 11), its columns as wide as their words need
(`spreadsheets.pdf.column_widths`) and Rupiah kept on one line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import Final

from purchasing.reports import CoopReport, SavingsReport
from purchasing.round_reports import CoopPayments, PaymentReport, PriceReport, SupplierReport
from purchasing.times import WIB
from spreadsheets.pdf import Document, DocumentTable, unbroken, write_pdf

ReportCell = str | int | date | None
DAY_FORMAT = "dd-mm-yyyy"  # the XLSX's days
REPORT_NAMES: Final = ("savings", "coops", "prices", "suppliers", "payments")
WORD_KEYS: Final = frozenset((
    "title_prices", "title_suppliers", "title_payments", "product_code", "product", "unit",
    "round_id", "round", "closed_on", "market_price", "price_reached", "change", "units",
    "not_reached", "supplier_code", "supplier", "ordered", "confirmed", "delivered",
    "coops_received", "delivery_on", "received_on", "days_late", "not_yet", "coop_code",
    "coop", "bills", "on_time", "late", "outstanding", "owed", "overdue", "total", "due_days",
    "title_savings", "title_coops", "coops_ordered", "coops_invited", "order_value", "saving",
    "saving_percent", "status", "recent_rounds", "first_round", "last_round", "treasurers",
    "contact", "status_new", "status_regular", "status_occasional", "status_lapsed",
    "status_never", "decimal_mark", "of",
))  # fmt: skip
_DUE_DAYS_GAP = "{days}"
PORTRAIT_COLUMNS = 6  # a table wider than this goes on a landscape page


class ReportWordsMissing(ValueError):
    """The report files' template of a language leaves out words, or names unknown ones."""


def parse_report_words(text: str) -> dict[str, str]:
    """The words of the rendered `report_files/words.j2` ("key: words" a line)."""
    words = {}
    for line in text.splitlines():
        key, colon, value = line.strip().partition(": ")
        if colon:
            words[key] = value.strip()
    missing, unknown = sorted(WORD_KEYS - set(words)), sorted(set(words) - WORD_KEYS)
    if missing or unknown:
        raise ReportWordsMissing(f"report words missing: {missing}; unknown: {unknown}")
    return words


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[ReportCell, ...], ...]
    money: frozenset[int] = frozenset()  # 0-based columns holding Rupiah
    numbers: frozenset[int] = frozenset()  # 0-based columns holding other whole numbers
    facts: tuple[str, ...] = field(default=())  # lines under the title (PDF only)


def _day(day: date | None, none: str) -> date | str:
    return day if day is not None else none


def prices_table(report: PriceReport, words: Mapping[str, str], zone: tzinfo = WIB) -> ReportTable:
    """One row per product and round; the day of the close in `zone` (the office's)."""
    rows = tuple(
        (
            product.code, product.name, product.unit, point.round.id, point.round.name,
            point.round.closed_at.astimezone(zone).date(), point.market_price,
            words["not_reached"] if point.unit_price is None else point.unit_price,
            point.change, point.units,
        )
        for product in report.products
        for point in product.points
    )  # fmt: skip
    header = tuple(
        words[key]
        for key in ("product_code", "product", "unit", "round_id", "round", "closed_on",
                    "market_price", "price_reached", "change", "units")
    )  # fmt: skip
    return ReportTable(words["title_prices"], header, rows, frozenset({6, 7, 8}), frozenset({9}))


def suppliers_table(report: SupplierReport, words: Mapping[str, str]) -> ReportTable:
    not_yet = words["not_yet"]
    rows = tuple(
        (
            one.round.id, one.round.name, one.supplier_code, one.supplier_name, one.ordered,
            not_yet if one.confirmed is None else one.confirmed, one.delivered,
            f"{one.coops_received} {words['of']} {one.coops}",  # "2/4" would be a date in Excel
            _day(one.delivery_on, not_yet),
            _day(one.last_received_on, not_yet),
            not_yet if one.days_late is None else one.days_late,
        )
        for one in report.rounds
    )  # fmt: skip
    header = tuple(
        words[key]
        for key in ("round_id", "round", "supplier_code", "supplier", "ordered", "confirmed",
                    "delivered", "coops_received", "delivery_on", "received_on", "days_late")
    )  # fmt: skip
    return ReportTable(words["title_suppliers"], header, rows, numbers=frozenset({4, 5, 6, 10}))


def payments_table(report: PaymentReport, words: Mapping[str, str]) -> ReportTable:
    def row(code: str, name: str, one: CoopPayments) -> tuple[ReportCell, ...]:
        return (code, name, one.bills, one.on_time, one.late, one.outstanding, one.owed,
                one.overdue)  # fmt: skip

    rows = [row(c.code, c.name, c) for c in report.coops]
    rows.append(row(words["total"], "", report.total))
    header = tuple(
        words[key]
        for key in ("coop_code", "coop", "bills", "on_time", "late", "outstanding", "owed",
                    "overdue")
    )  # fmt: skip
    facts = (words["due_days"].replace(_DUE_DAYS_GAP, str(report.due_days)),)
    return ReportTable(
        words["title_payments"], header, tuple(rows), frozenset({6}),
        frozenset({2, 3, 4, 5, 7}), facts,
    )  # fmt: skip


def savings_table(
    report: SavingsReport, words: Mapping[str, str], zone: tzinfo = WIB
) -> ReportTable:
    """One row per closed round (the day of the close in `zone`), then the total."""
    rows: list[tuple[ReportCell, ...]] = [
        (
            one.round.id, one.round.name, one.round.closed_at.astimezone(zone).date(),
            one.coops_ordered, one.coops_invited, one.savings.order_value,
            one.savings.market_value, one.savings.saving,
            _percent(one.savings.saving_tenths, words),
        )
        for one in report.rounds
    ]  # fmt: skip
    total = report.total
    rows.append((words["total"], "", "", None, None, total.order_value, total.market_value,
                 total.saving, _percent(total.saving_tenths, words)))  # fmt: skip
    header = tuple(
        words[key]
        for key in ("round_id", "round", "closed_on", "coops_ordered", "coops_invited",
                    "order_value", "market_price", "saving", "saving_percent")
    )  # fmt: skip
    return ReportTable(
        words["title_savings"], header, tuple(rows), frozenset({5, 6, 7}), frozenset({3, 4})
    )


def _percent(tenths: int, words: Mapping[str, str]) -> str:
    """The saving in percent with one decimal, written as the reader writes it: "12,5"."""
    return f"{tenths // 10}{words['decimal_mark']}{tenths % 10}"


def coops_table(report: CoopReport, words: Mapping[str, str]) -> ReportTable:
    """One row per coop: its activity over the last rounds, its treasurers and contact."""
    rows = tuple(
        (
            one.code, one.name, words[f"status_{one.status.value}"], one.recent,
            one.first.name if one.first else "", one.last.name if one.last else "",
            ", ".join(rep.display_name or rep.user_id for rep in one.reps), one.contact,
        )
        for one in report.coops
    )  # fmt: skip
    header = tuple(
        words[key]
        for key in ("coop_code", "coop", "status", "recent_rounds", "first_round", "last_round",
                    "treasurers", "contact")
    )  # fmt: skip
    window = ", ".join(f"#{one.id}" for one in report.window)  # as the text report lists them
    facts = (words["recent_rounds"] + f": {len(report.window)} ({window})",)
    return ReportTable(words["title_coops"], header, rows, numbers=frozenset({3}), facts=facts)


def write_report_files(
    table: ReportTable, out: Path, name: str, money_text: Callable[[int], str]
) -> list[Path]:
    """`<name>.xlsx`, `<name>.csv` and `<name>.pdf` of `table` in `out` (created if need
    be); `money_text` writes Rupiah for the PDF ("Rp 1.250.000")."""
    out.mkdir(parents=True, exist_ok=True)
    return [
        _xlsx(table, out / f"{name}.xlsx"),
        _csv(table, out / f"{name}.csv"),
        _pdf(table, out / f"{name}.pdf", money_text),
    ]


def _xlsx(table: ReportTable, path: Path) -> Path:
    # Imported here: openpyxl (~29 MB) loads only when a report's files are written.
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell as XlsxCell

    from spreadsheets.styles import BOLD, MONEY_FORMAT, fit_columns, keep_text

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell, XlsxCell):
                keep_text(cell)
                if isinstance(cell.value, date):
                    cell.number_format = DAY_FORMAT
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for column in table.money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            if isinstance(cell.value, int):
                cell.number_format = MONEY_FORMAT
    fit_columns(sheet)
    book.save(path)
    return path


def _csv(table: ReportTable, path: Path) -> Path:
    from spreadsheets.export import EXCEL_ID_DELIMITER, csv_cell  # imports openpyxl

    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=EXCEL_ID_DELIMITER)
        writer.writerow([csv_cell(text) for text in table.header])
        writer.writerows(
            [csv_cell(cell.isoformat() if isinstance(cell, date) else cell) for cell in row]
            for row in table.rows
        )
    return path


def _pdf(table: ReportTable, path: Path, money_text: Callable[[int], str]) -> Path:
    def text(value: ReportCell, column: int) -> str:
        if value is None:
            return ""
        if isinstance(value, int) and column in table.money:
            return unbroken(money_text(value))
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        return value

    rows: Sequence[Sequence[str]] = [
        [text(value, n) for n, value in enumerate(row)] for row in table.rows
    ]
    numeric = frozenset(table.money | table.numbers)
    document = Document(
        title=table.title,
        facts=table.facts,
        tables=(DocumentTable(table.header, rows, numeric),),
        author="Belanja Bareng",
        subject=table.title,
        landscape=len(table.header) > PORTRAIT_COLUMNS,
    )
    return write_pdf(document, path)
