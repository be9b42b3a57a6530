"""Sample contexts for the import error templates, built by the error classes themselves."""

from __future__ import annotations

from collections.abc import Callable

from spreadsheets import errors as e


def in_csv(kind: Callable[..., e.ImportProblem], value: str, **extra: object) -> e.ImportProblem:
    return kind(file="produk.csv", row=7, column="F (harga_pasar)", value=value, **extra)


PROBLEMS: list[e.ImportProblem] = [
    e.UnreadableFile(file="katalog.xls", value="xls"),
    e.MissingSheet(file="katalog.xlsx", sheet="pemasok", value="pemasok, suppliers, supplier"),
    e.NoRows(file="koperasi.csv", row=1),
    e.MissingColumn(file="produk.csv", row=1, column="satuan", value="satuan, unit"),
    in_csv(e.EmptyValue, ""),
    in_csv(e.BadNumber, "Rp 12,5 <ribu>"),
    in_csv(e.NumberTooLarge, "Rp 125.000.000.000.000", limit=10**12),
    in_csv(e.BadCode, "KOP 01 & CO"),
    in_csv(e.DuplicateCode, "GLP-50", first_row=3),
    in_csv(e.TextTooLong, "Beras " * 30, limit=120),
    in_csv(e.ControlCharacters, "Beras\nPremium"),
    in_csv(e.BadTiers, "1:125000; 50:130000", reason="price_rises", min_total=50),
    in_csv(e.BadDate, "7 Desember"),
    in_csv(e.FutureDate, "'02/01", read_as="2027-01-02", today="2026-12-08"),
    in_csv(e.BadAmount, "satu juta"),
    e.MoqOverSupplyCap(file="produk.csv", row=3, column="H (moq)", value="50", limit=30),
    e.UnknownSupplier(
        file="katalog.xlsx", sheet="produk", row=4, column="C (pemasok)", value="WINGS"
    ),
    e.ProductColumns(file="data-<2026>.csv", row=1, column="harga_pasar", value="coops"),
    e.ExtraCells(
        file="koperasi.csv",
        row=5,
        column="E",
        value="0812-1111",
        cells=5,
        columns=4,
        separator=",",
    ),
]
# Shown only inside the list of import_failed: the same problems in the other separators,
# in a workbook, and across files (one sample per template above).
ONLY_IN_THE_LIST: list[e.ImportProblem] = [
    e.ExtraCells(file="koperasi.csv", row=6, column="E", value="Kec. <Sumur> Bandung",
                 cells=5, columns=4, separator=";"),
    e.ExtraCells(file="koperasi.txt", row=7, column="E", value="x", cells=5, columns=4,
                 separator="\t"),
    e.ExtraCells(file="katalog.xlsx", sheet="koperasi", row=8, column="G",
                 value="cek lagi | 0812", cells=8, columns=4),
    # Tiers that cannot be used, each saying why (`spreadsheets.tiers`).
    e.BadTiers(file="produk.csv", row=4, column="G (tingkat_harga)",
               value="1:9; 5:Rp 1.000.000.000.000.000", reason="too_large", min_total=0,
               limit=10**12),
    e.BadTiers(file="produk.csv", row=5, column="I (harga2)", value="", reason="pair_incomplete",
               min_total=0),
    e.BadTiers(file="produk.csv", row=6, column="G (tingkat_harga)", value="10:900",
               reason="first_not_one", min_total=10),
    # A code in two files of one import (`spreadsheets.files`), the first in a workbook.
    e.DuplicateCode(file="produk-b.csv", row=3, column="A (kode)", value="Z1", first_row=2,
                    first_file="katalog.xlsx", first_sheet="produk"),
    e.DuplicateCode(file="produk-b.csv", row=4, column="A (kode)", value="Z2", first_row=5,
                    first_file="produk-a.csv", first_sheet=""),
]  # fmt: skip

SAMPLES: dict[str, dict[str, object]] = {
    f"errors/{problem.key}": problem.params for problem in PROBLEMS
} | {"errors/import_failed": e.ImportFailed("produk.csv", ONLY_IN_THE_LIST + PROBLEMS).params}
