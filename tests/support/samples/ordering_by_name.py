"""Sample contexts for ordering by name: the question asked when a typed line fits several
products (`handlers.treasurer.order_choice.question_reply` passes the same values)."""

from __future__ import annotations

from tests.support.builders import make_product, make_round_item

_SPHP = make_round_item(make_product("BRS-SPHP50", name="Beras SPHP medium 50 kg"))
_PREMIUM = make_round_item(make_product("BRS-PRM50", name="Beras premium 50 kg"))

SAMPLES: dict[str, dict[str, object]] = {
    "order_question": {
        "line_no": 3,
        "raw": "beras <12>",
        "quantity": 1_200,
        "more": 4,
        "candidates": [_SPHP, _PREMIUM],
        "coop_code": "DT",
        "coop_name": "Kopontren Daarut Tauhid",
    },
    "buttons/order_pick": {"code": "BRS-SPHP50", "name": "Beras SPHP medium 50 kg"},
}
