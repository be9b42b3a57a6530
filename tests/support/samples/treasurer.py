"""Sample contexts for the treasurer's templates: join_*, catalog_*, order_*, my_order_*.

Built from the same values the handlers pass (domain dataclasses and the handlers' own
view values), so a template that reads a missing attribute fails the shared render test.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.treasurer.my_order import Repeat, RepeatLine
from handlers.treasurer.order_lines import Refusal
from purchasing.model import CommitmentChange, RoundStatus
from purchasing.progress import product_progress
from tests.support.builders import make_coop, make_product, make_round, make_round_item
from tests.support.samples.estimate import ESTIMATE
from usecases.notices.reminders import estimate_context

_MIE = make_product(
    "IDM-GRG",
    name="Indomie Mi Goreng Spesial 85 g",
    supplier_code="INDOFOOD",
    unit="karton",
    contents="40 bungkus",
    market_price=132_000,
    price_tiers=((1, 122_000), (30, 119_000), (100, 116_000)),
)
_RICE = make_product("BRS-SPHP50", name="Beras SPHP 50 kg", moq=20, max_per_coop=20, supply_cap=500)
_ROUND = make_round(_MIE, _RICE, round_id=3, name="Belanja Bareng Desember")
_DRAFT = make_round(_MIE, round_id=4, name="Belanja Bareng Januari", status=RoundStatus.DRAFT)
_MIE_ITEM = make_round_item(_MIE)
_RICE_ITEM = make_round_item(_RICE)
_COOPS = [make_coop("DT", "Kopontren Daarut Tauhid"), make_coop("PERSIS", "Kopontren Persis")]
_MENU: dict[str, object] = {"coops": _COOPS, "acting": _COOPS[0], "round": _ROUND, "several": True}
_CHOOSING: dict[str, object] = {"coops": _COOPS, "acting": None, "round": None, "several": True}
_CHANGE = CommitmentChange(5, 12, _MIE_ITEM, 40)
_REFUSALS = [
    Refusal(2, "XYZ 3", "unknown_product", {"product_code": "XYZ"}),
    Refusal(4, "IDM-GRG -3", "quantity_invalid", {"raw": "-3", "max_quantity": 100_000}),
]
_REPEAT = Repeat(
    make_round(_MIE, round_id=2, name="Belanja Bareng November", status=RoundStatus.CLOSED),
    (RepeatLine(_MIE_ITEM, 20, 0), RepeatLine(_RICE_ITEM, 5, 2)),
    ("GLP-50",),
)

SAMPLES: dict[str, dict[str, object]] = {
    "join_welcome": {},
    "join_first": {"wanted": "receipt"},
    "join_done": {**_CHOOSING, "coop": _COOPS[1]},
    "join_choose_coop": _CHOOSING,
    "join_coop_chosen": _MENU,
    "join_menu": _MENU,
    "catalog_no_round": {"next_round": _DRAFT, "opens_later": True},
    "catalog_page": {
        "round": _ROUND,
        "groups": [
            {"supplier_name": "Perum Bulog", "products": [product_progress(_RICE_ITEM, 12)]},
            {"supplier_name": "PT Indofood", "products": [product_progress(_MIE_ITEM, 17)]},
        ],
        "page": 2,
        "pages": 4,
        "accepts_changes": True,
        "reader": "guest",  # someone who has joined no coop yet
    },
    "catalog_product": {
        "round": _ROUND,
        "item": _RICE_ITEM,
        "progress": product_progress(_RICE_ITEM, 12),
        "supplier_name": "Perum Bulog",
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "my_quantity": 12,
        "change": _CHANGE,
    },
    "order_refusal": {"refusal": _REFUSALS[1]},
    "order_result": {
        "round": _ROUND,
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "changes": [_CHANGE, CommitmentChange(4, 0, _RICE_ITEM, 20)],
        "unchanged": [CommitmentChange(3, 3, _RICE_ITEM, 20)],
        "refusals": _REFUSALS,
        "estimate": estimate_context(ESTIMATE),
    },
    "order_howto": {
        "round": _ROUND,
        "examples": [_MIE_ITEM, _RICE_ITEM],
        "names": ["mie goreng", "beras"],
    },
    "order_type_quantity": {
        "item": _MIE_ITEM,
        "current": 5,
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
    },
    "order_cancelled": {},
    "my_order": {
        "round": _ROUND,
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "lines": ESTIMATE.lines,
        "estimate": estimate_context(ESTIMATE),
        "saving": ESTIMATE.saving,
        "time_left": timedelta(days=2, hours=3),
        "example": {"name": "mie goreng", "code": "IDM-GRG", "unit": "dus"},
    },
    "my_order_repeat": {
        "round": _ROUND,
        "coop_code": "DT",
        "coop_name": "Kopontren <Daarut> Tauhid",
        "repeat": _REPEAT,
    },
    "my_order_repeat_none": {"repeat": None},
    "buttons/join_coop": {"code": "KKPITB", "name": "Koperasi Keluarga Pegawai (KKP) ITB"},
    "buttons/catalog_open": {},
    "buttons/my_order_open": {},
    "buttons/catalog_product": {"code": "IDM-GRG", "name": "Indomie Mi Goreng"},
    "buttons/catalog_prev": {},
    "buttons/catalog_next": {},
    "buttons/catalog_back": {},
    "buttons/order_step": {"step": 5},
    "buttons/order_type": {},
    "buttons/order_remove": {},
    "buttons/order_cancel": {},
    "buttons/my_order_repeat_confirm": {},
}
