"""Sample contexts for browsing a large catalog: its suppliers first, and `/cari`; and a
browsing button of a round that is over.

Built from the same values `handlers.treasurer.catalog_pages` and `handlers.treasurer.search`
pass.
"""

from __future__ import annotations

from purchasing.progress import product_progress
from tests.support.builders import make_product, make_round, make_round_item

_OIL = make_product(
    "MKITA-1L",
    name="Minyak goreng Minyakita 1 liter",
    supplier_code="SBMART",
    unit="dus",
    price_tiers=((1, 186_000), (20, 181_000)),
)
_RICE = make_product("BRS-SPHP50", name="Beras SPHP medium 50 kg", moq=20)
_ROUND = make_round(_OIL, _RICE, round_id=3, name="Belanja Bareng Desember")
_SUPPLIERS = [
    {"code": "BULOG", "name": "Perum Bulog Kanwil Jawa Barat", "count": 112},
    {"code": "SBMART", "name": "SB Mart Grosir", "count": 1},
]

SAMPLES: dict[str, dict[str, object]] = {
    # A button of a closed round, pressed while the next round is open.
    "errors/round_over": {
        "round_name": "Belanja Bareng <November>",
        "status": "closed",
        "closes_at": _ROUND.closes_at,
        "open_round": _ROUND.name,
    },
    "catalog_suppliers": {
        "round": _ROUND,
        "suppliers": _SUPPLIERS,
        "products": 1_000,
        "supplier_count": 14,
        "page": 1,
        "pages": 2,
        "accepts_changes": True,
        "reader": "supplier",  # a supplier's rep, who reads it only
    },
    "catalog_search": {
        "round": _ROUND,
        "query": "minyak 1",
        "products": [product_progress(make_round_item(_OIL), 25)],
        "more": 3,
        "accepts_changes": True,
        "reader": "staff",  # Dinas staff, who order for a coop with /pesankan
    },
    "catalog_search_none": {"round": _ROUND, "query": "kecap manis"},
    "buttons/catalog_supplier": {
        "name": "PT Indofood Sukses Makmur (distributor Bandung)",
        "count": 12,
    },
    "buttons/catalog_suppliers": {},
    "buttons/catalog_product_price": {"price": 3_150_000, "unit": "karton"},
}
