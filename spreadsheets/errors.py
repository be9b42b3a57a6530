"""Typed problems found while importing a spreadsheet.

Every problem names where it is (file, sheet, row as the user sees it with the header on
row 1, column) and the value found there, so its template can say exactly what to fix.
A reader collects all problems of a file and raises one `ImportFailed`: all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

SHOWN_VALUE_LIMIT = 60


def shown(value: str) -> str:
    """The value as it may be quoted back: control characters escaped, long text shortened."""
    visible = "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in value)
    if len(visible) > SHOWN_VALUE_LIMIT:
        return visible[: SHOWN_VALUE_LIMIT - 1] + "…"
    return visible


class ImportProblem(Exception):
    """One thing wrong in one place of a file. `params` are the template context."""

    key: ClassVar[str] = "import_problem"

    def __init__(
        self,
        *,
        file: str,
        sheet: str = "",
        row: int = 0,
        column: str = "",
        value: str = "",
        **extra: object,
    ) -> None:
        self.params: dict[str, object] = {
            "file": file,
            "sheet": sheet,
            "row": row,
            "column": column,
            "value": shown(value),
            **extra,
        }
        super().__init__(f"{self.key} {self.params}")


class UnreadableFile(ImportProblem):
    """Not a CSV or XLSX file we can read (wrong format, broken, wrong text encoding)."""

    key = "import_unreadable_file"


class MissingSheet(ImportProblem):
    """A catalog workbook lacks a sheet; `value` lists the names accepted for it."""

    key = "import_missing_sheet"


class NoRows(ImportProblem):
    """The file or sheet has a header but no data rows."""

    key = "import_no_rows"


class MissingColumn(ImportProblem):
    """A required header is absent; `column` is its name, `value` all accepted names."""

    key = "import_missing_column"


class ProductColumns(ImportProblem):
    """A list of coops or suppliers whose header names a product's columns (`pemasok`,
    `satuan`, `harga_pasar`, `tingkat_harga`): most likely produk.csv loaded as the wrong
    kind (`import --kind`), which would make each product a coop. `column` is the first such
    header as written; `value` the kind read ("coops" or "suppliers")."""

    key = "import_product_columns"


class BadDate(ImportProblem):
    """A bank statement's date we cannot read (`2026-12-07`, `07/12/2026`, `07-12-2026`)."""

    key = "import_bad_date"


class FutureDate(ImportProblem):
    """A bank statement's date after the day it is imported (with a day's slack):
    `read_as` is the day read (ISO), `today` the office's day (ISO)."""

    key = "import_future_date"


class BadAmount(ImportProblem):
    """A bank statement's amount we cannot read (Rupiah to the cent, a credit or a debit)."""

    key = "import_bad_amount"


class ExtraCells(ImportProblem):
    """A data row holds a value beyond the header's columns: in a CSV file, most often a
    comma (or the file's separator) typed in a text or a number (`2,5`) split one cell in
    two and shifted the cells after it, so the row is not read at all.

    Params besides the place: column (the first cell beyond the header, by its letter),
    value (the cells beyond it, joined by " | "), cells (how many cells the row has, up to
    its last value), columns (how many the header has), separator (the CSV file's
    field separator; "" in a workbook, where only a value in an unnamed column is refused).
    """

    key = "import_extra_cells"


class EmptyValue(ImportProblem):
    key = "import_empty_value"


class BadNumber(ImportProblem):
    """Not a whole number above zero (money or a count of units)."""

    key = "import_bad_number"


class NumberTooLarge(ImportProblem):
    """A whole number larger than `limit` (`spreadsheets.cells.LARGEST_NUMBER`), most often
    a price typed with zeros too many."""

    key = "import_number_too_large"


class BadCode(ImportProblem):
    """A code must be 1-16 of A-Z, 0-9, `_` and `-` so it fits in a button payload."""

    key = "import_bad_code"


class DuplicateCode(ImportProblem):
    """The same code twice in one file, or in two files of one import; `first_row` is where
    it was first seen, and in another file (only then) `first_file` and `first_sheet`."""

    key = "import_duplicate_code"


class TextTooLong(ImportProblem):
    """Longer than `limit` characters."""

    key = "import_text_too_long"


class ControlCharacters(ImportProblem):
    key = "import_control_characters"


class BadTiers(ImportProblem):
    """Price tiers that cannot be read or do not make sense (see docs/spreadsheets.md).
    Params besides the place: reason (one of `purchasing.errors.TIER_PROBLEMS` or
    `spreadsheets.tiers.FILE_TIER_PROBLEMS`), min_total (the tier at fault, or 0); limit
    (the largest number) with the reason "too_large"."""

    key = "import_bad_tiers"


class MoqOverSupplyCap(ImportProblem):
    """A product whose minimum total (`moq`, the value in its column) is above its supply
    cap (`limit`): no total could meet the MOQ within the cap, so the product would never be
    ordered, or its supplier be sent an order below its own minimum."""

    key = "import_moq_over_supply_cap"


class UnknownSupplier(ImportProblem):
    key = "import_unknown_supplier"


class ImportFailed(Exception):
    """All problems of one import; nothing of it was imported."""

    key: ClassVar[str] = "import_failed"

    def __init__(self, file: str, problems: Sequence[ImportProblem]) -> None:
        self.file = file
        self.problems: tuple[ImportProblem, ...] = tuple(problems)
        self.params: dict[str, object] = {
            "file": file,
            "count": len(self.problems),
            "problems": [{"key": p.key, "params": p.params} for p in self.problems],
        }
        super().__init__(f"{self.key} {file}: {[str(p) for p in self.problems]}")


class BadQuantity(ImportProblem):
    """An ordered quantity that is not a whole number from 0 (removes the order) up, read
    as a typed order is (`purchasing.order_text.parse_quantity`)."""

    key = "import_bad_quantity"


class DuplicateOrder(ImportProblem):
    """The same coop and product twice in one order sheet; `first_row` is where it was
    first seen, `value` the pair."""

    key = "import_duplicate_order"
