"""Sample context of the `estimate` partial, and the estimate the other samples show.

KOP01 ordered noodles (sure), oil below its MOQ and rice whose supply is over-subscribed, in a
round that extends once for its MOQ, so every branch of the template renders.
"""

from __future__ import annotations

from datetime import timedelta

from purchasing.estimate import Estimate, coop_estimate
from purchasing.model import MoqPolicy
from tests.support.builders import NOW, make_commitment, make_product, make_round
from usecases.notices.reminders import estimate_context

_NOODLES = make_product("IDM-GRG", name="Indomie Mi Goreng", unit="karton")
_OIL = make_product("MNY2", name="Minyak goreng 2 L", unit="karton", moq=50)
_RICE = make_product("BRS5", name="Beras medium 5 kg", supply_cap=125)
ROUND = make_round(_NOODLES, _OIL, _RICE, moq_policy=MoqPolicy.EXTEND, extend_hours=24)
ESTIMATE: Estimate = coop_estimate(
    ROUND,
    "KOP01",
    (
        make_commitment("KOP01", "IDM-GRG", 10),
        make_commitment("KOP01", "MNY2", 20),
        make_commitment("KOP01", "BRS5", 100),
        make_commitment("KOP02", "BRS5", 50, created_at=NOW + timedelta(minutes=5)),
    ),
)

SAMPLES: dict[str, dict[str, object]] = {"estimate": {"estimate": estimate_context(ESTIMATE)}}
