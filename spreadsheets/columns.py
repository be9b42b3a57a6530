"""Which header names mean which field, in Indonesian and English.

Headers are compared after `table.header_name` (case, spaces and punctuation ignored).
The first name of each field is the one used in messages and in written workbooks.
Unknown columns are ignored, so staff may keep notes beside the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spreadsheets.table import Table, header_name

COOP_SHEETS = ("koperasi", "coops", "coop")
SUPPLIER_SHEETS = ("pemasok", "suppliers", "supplier")
PRODUCT_SHEETS = ("produk", "products", "product")

CODE = ("kode", "code")
NAME = ("nama", "name")
ADDRESS = ("alamat", "address")
CONTACT = ("kontak", "contact")
ACCOUNT = ("rekening", "account", "no_rekening")
SUPPLIER = ("pemasok", "supplier", "kode_pemasok", "supplier_code")
UNIT = ("satuan", "unit")
CONTENTS = ("isi", "contents")
MARKET_PRICE = ("harga_pasar", "market_price")
TIERS = ("tingkat_harga", "tiers")
MOQ = ("moq", "minimum_order")
MAX_PER_COOP = ("maks_per_koperasi", "max_per_coop")
SUPPLY_CAP = ("batas_pasokan", "supply_cap")

TIER_MIN = re.compile(r"(?:min|minimum)_?(\d+)")
TIER_PRICE = re.compile(r"(?:harga|price)_?(\d+)")


@dataclass(frozen=True, slots=True)
class TierPair:
    number: int
    min_index: int | None
    price_index: int | None


def find(table: Table, names: tuple[str, ...]) -> int | None:
    """Index of the first column called by one of `names`, or None."""
    for index, header in enumerate(table.header):
        if header in names:
            return index
    return None


def tier_pairs(table: Table) -> list[TierPair]:
    """The `min1/harga1, min2/harga2, ...` columns, by tier number."""
    mins: dict[int, int] = {}
    prices: dict[int, int] = {}
    for index, header in enumerate(table.header):
        if match := TIER_MIN.fullmatch(header):
            mins.setdefault(int(match.group(1)), index)
        elif match := TIER_PRICE.fullmatch(header):
            prices.setdefault(int(match.group(1)), index)
    return [
        TierPair(number, mins.get(number), prices.get(number))
        for number in sorted(mins.keys() | prices.keys())
    ]


def pick_table(tables: list[Table], sheet_names: tuple[str, ...]) -> Table | None:
    """The sheet called by one of `sheet_names` (case-insensitive), or None."""
    for table in tables:
        if header_name(table.sheet) in sheet_names:
            return table
    return None
