"""Writing a catalog workbook (sheets koperasi, pemasok, produk) that `read_catalog_workbook`
reads back. Tiers are written as `min1, harga1, min2, harga2, ...` column pairs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from purchasing.model import Product
from spreadsheets import columns as c
from spreadsheets.importing import Catalog

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def write_catalog_workbook(catalog: Catalog, dest: Path) -> Path:
    # Imported here: openpyxl (~29 MB) loads only when a workbook is written.
    from openpyxl import Workbook

    from spreadsheets.styles import finish_sheet

    workbook = Workbook()
    coops = workbook.active
    assert coops is not None
    coops.title = c.COOP_SHEETS[0]
    coops.append([c.CODE[0], c.NAME[0], c.ADDRESS[0], c.CONTACT[0]])
    for coop in catalog.coops:
        coops.append([coop.code, coop.name, coop.address, coop.contact])
    finish_sheet(coops, money_columns=())

    suppliers = workbook.create_sheet(c.SUPPLIER_SHEETS[0])
    suppliers.append([c.CODE[0], c.NAME[0], c.CONTACT[0], c.ACCOUNT[0]])
    for supplier in catalog.suppliers:
        suppliers.append([supplier.code, supplier.name, supplier.contact, supplier.account])
    finish_sheet(suppliers, money_columns=())

    _write_products(workbook.create_sheet(c.PRODUCT_SHEETS[0]), catalog.products)
    workbook.save(dest)
    return dest


def _write_products(sheet: Worksheet, products: tuple[Product, ...]) -> None:
    from spreadsheets.styles import finish_sheet

    tier_count = max((len(p.tiers) for p in products), default=1)
    fixed = [c.CODE, c.NAME, c.SUPPLIER, c.UNIT, c.CONTENTS, c.MARKET_PRICE]
    header = [names[0] for names in fixed]
    for number in range(1, tier_count + 1):
        header += [f"min{number}", f"harga{number}"]
    header += [c.MOQ[0], c.MAX_PER_COOP[0], c.SUPPLY_CAP[0]]
    sheet.append(header)
    for p in products:
        row: list[str | int | None] = [p.code, p.name, p.supplier_code, p.unit, p.contents]
        row.append(p.market_price)
        for index in range(tier_count):
            tier = p.tiers[index] if index < len(p.tiers) else None
            row += [tier.min_total, tier.unit_price] if tier else [None, None]
        row += [p.moq, p.max_per_coop, p.supply_cap]
        sheet.append(row)
    money = [len(fixed)] + [len(fixed) + 2 * n + 2 for n in range(tier_count)]
    finish_sheet(sheet, money_columns=tuple(money))
