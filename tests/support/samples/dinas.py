"""Sample contexts for the Dinas officer's side: the phone-sized `/rekap` and its full lists,
`/ingatkan`, and the notice that someone joined. Built with the same code the handlers use
(`usecases.recap.Recap.context`, `usecases.nudges.NudgeOutcome`)."""

from __future__ import annotations

from datetime import timedelta

from purchasing.progress import progress_for
from tests.support.builders import NOW, make_coop, make_product, make_round
from usecases.nudges import NudgeOutcome, Skipped
from usecases.recap import Recap, WaitingCoop

_SUGAR = make_product("GLP-50", moq=5, price_tiers=((1, 870_000), (10, 855_000), (30, 840_000)))
_RICE = make_product("BRS-SPHP50", name="Beras SPHP 50 kg", moq=20)
_OIL = make_product(
    "BMOLI-2L", name="Bimoli minyak goreng 2 L", unit="dus", supply_cap=300,
    price_tiers=((1, 234_000), (20, 229_000)), market_price=246_000,
)  # fmt: skip
_ROUND = make_round(_SUGAR, _RICE, _OIL)
_COOPS = [make_coop(f"K{n:02d}", f"Koperasi <Warga> {n}", contact=f"0812{n:04d}") for n in range(9)]
_WAITING = tuple(
    WaitingCoop(coop, ("Bu Ani",) if n % 2 else ()) for n, coop in enumerate(_COOPS[2:])
)
_RECAP = Recap(
    _ROUND,
    progress_for(_ROUND, {"GLP-50": 27, "BRS-SPHP50": 12, "BMOLI-2L": 310}),
    tuple(_COOPS[:2]),
    _WAITING,
)
_SKIPPED = [Skipped(coop, NOW - timedelta(minutes=20)) for coop in _COOPS[:7]]

SAMPLES: dict[str, dict[str, object]] = {
    "admin_recap": _RECAP.context(shown_coops=5),
    "admin_recap_products": {"round": _ROUND, "progress": _RECAP.progress},
    "admin_recap_waiting": {"round": _ROUND, "waiting": _WAITING},
    "buttons/admin_recap_products": {},
    "buttons/admin_recap_waiting": {"count": len(_WAITING)},
    "buttons/admin_nudge": {},
    "admin_nudged": {
        "round": _ROUND,
        "nudged": _COOPS[:3],
        "treasurers": 4,
        "skipped": _SKIPPED,
        "next_at": NudgeOutcome(_ROUND, skipped=_SKIPPED).next_at,
        "without_treasurer": _COOPS,
        "already_ordered": [],
    },
    "admin_nudge_usage": {"typed": "NOPE"},
    "admin_joined": {
        "party_name": "Kopontren <Daarut> Tauhid",
        "party_code": "DT",
        "for_supplier": False,
        "name": "Bu Ani",
        "platform": "whatsapp",
    },
}
