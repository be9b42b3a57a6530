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
    in_csv(e.BadCode, "KOP 01 & CO"),
    in_csv(e.DuplicateCode, "GLP-50", first_row=3),
    in_csv(e.TextTooLong, "Beras " * 30, limit=120),
    in_csv(e.ControlCharacters, "Beras\nPremium"),
    in_csv(e.BadTiers, "1:125000; 50:130000"),
    in_csv(e.BadDate, "7 Desember"),
    in_csv(e.BadAmount, "satu juta"),
    e.UnknownSupplier(
        file="katalog.xlsx", sheet="produk", row=4, column="C (pemasok)", value="WINGS"
    ),
]

SAMPLES: dict[str, dict[str, object]] = {
    f"errors/{problem.key}": problem.params for problem in PROBLEMS
} | {"errors/import_failed": e.ImportFailed("produk.csv", PROBLEMS).params}
