"""One data row to one domain value (Coop, Supplier or Product), or None after problems."""

from __future__ import annotations

from purchasing.model import Coop, Product, Supplier
from spreadsheets.cells import CODE_PATTERN, RowReader, cell_text
from spreadsheets.columns import TierPair
from spreadsheets.errors import MoqOverSupplyCap, UnknownSupplier
from spreadsheets.tiers import read_tiers

NAME_LIMIT = 120
ADDRESS_LIMIT = 250
CONTACT_LIMIT = 120
ACCOUNT_LIMIT = CONTACT_LIMIT
UNIT_LIMIT = 40
CONTENTS_LIMIT = 80

Fields = dict[str, int | None]


def _code(row: RowReader, fields: Fields, field: str = "code") -> str:
    index = fields[field]
    assert index is not None  # required columns are checked before any row is read
    return row.code(index)


def _name(row: RowReader, fields: Fields) -> str:
    return row.text(fields["name"], limit=NAME_LIMIT, required=True, one_line=True)


def _contact(row: RowReader, fields: Fields) -> str:
    return row.text(fields["contact"], limit=CONTACT_LIMIT, required=False, one_line=False)


def coop_from_row(row: RowReader, fields: Fields) -> Coop | None:
    coop = Coop(
        code=_code(row, fields),
        name=_name(row, fields),
        address=row.text(fields["address"], limit=ADDRESS_LIMIT, required=False, one_line=False),
        contact=_contact(row, fields),
    )
    return coop if row.ok else None


def supplier_from_row(row: RowReader, fields: Fields) -> Supplier | None:
    supplier = Supplier(
        code=_code(row, fields),
        name=_name(row, fields),
        contact=_contact(row, fields),
        account=row.text(fields["account"], limit=ACCOUNT_LIMIT, required=False, one_line=False),
    )
    return supplier if row.ok else None


def product_from_row(
    row: RowReader, fields: Fields, pairs: list[TierPair], known_suppliers: set[str] | None
) -> Product | None:
    code = _code(row, fields)
    name = _name(row, fields)
    supplier_code = _code(row, fields, "supplier")
    known = known_suppliers is None or supplier_code in known_suppliers
    if not known and CODE_PATTERN.fullmatch(supplier_code):
        index = fields["supplier"]
        assert index is not None
        row.problem(UnknownSupplier, index, supplier_code)
    unit = row.text(fields["unit"], limit=UNIT_LIMIT, required=True, one_line=False)
    contents = row.text(fields["contents"], limit=CONTENTS_LIMIT, required=False, one_line=False)
    market_price = row.number(fields["market_price"], required=True)
    tiers = read_tiers(row, fields["tiers"], pairs)
    moq = row.number(fields["moq"], required=False)
    max_per_coop = row.number(fields["max_per_coop"], required=False)
    supply_cap = row.number(fields["supply_cap"], required=False)
    moq_index = fields["moq"]
    if moq is not None and supply_cap is not None and moq > supply_cap:
        assert moq_index is not None
        row.problem(MoqOverSupplyCap, moq_index, cell_text(row.cell(moq_index)), limit=supply_cap)
    if not row.ok or market_price is None:
        return None
    return Product(
        code=code,
        name=name,
        supplier_code=supplier_code,
        unit=unit,
        contents=contents,
        market_price=market_price,
        tiers=tiers,
        moq=moq,
        max_per_coop=max_per_coop,
        supply_cap=supply_cap,
    )
