"""Sample contexts for the terminal demo's templates (console/* and errors/demo_*), built the
way `bot.console` builds them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console.personas import default_cast
from tests.support.builders import make_coop, make_product, make_round

_CAST = default_cast()
_ADMIN, _RINA, _BUDI, _AHMAD, _DEWI, _GROUP, _JOKO, _LINA = _CAST
_COOP = make_coop("DT", "Kopontren Daarut Tauhid")
_ROUND = make_round(make_product())


def _person(
    persona: object,
    coop: object = None,
    supplier: str | None = None,
    *,
    active: bool = False,
    unread: int = 0,
    speaker: str = "",
) -> dict[str, object]:
    return {
        "persona": persona,
        "coop": coop,
        "supplier": supplier,
        "active": active,
        "unread": unread,
        "speaker": speaker,
    }


_PEOPLE = [
    _person(_ADMIN, speaker="Bu Sari"),
    _person(_RINA, _COOP, active=True, speaker="Bu Rina"),
    _person(_DEWI, make_coop("FATHULHUDA"), speaker="Bu Dewi"),
    _person(_GROUP, unread=2, speaker="Bu Rina"),
    _person(_JOKO, supplier="Perum <Bulog>", unread=1, speaker="Pak Joko"),
]

SAMPLES: dict[str, dict[str, object]] = {
    "console/welcome": {"round": _ROUND, "invite_code": "Jv_Oqr_JYIGbYvc3"},
    "console/cast": {"people": _PEOPLE, "invite_code": "Jv_Oqr_JYIGbYvc3"},
    "console/now_as": {
        "persona": _JOKO,
        "coop": None,
        "supplier": "Perum Bulog",
        "speaker": "Pak Joko",
    },
    "console/file_missing": {"wanted": "bukti <transfer>.png"},
    "console/file_sent": {"name": "bukti-transfer-dt.png"},
    "console/help": {},
    "console/press_usage": {},
    "console/unknown_meta": {"command": "terbang"},
    "console/unknown_persona": {"wanted": "9", "count": 6},
    "console/no_options": {"number": 5},
    "console/option_out_of_range": {"number": 42, "count": 9},
    "console/no_private_chat": {},
    "console/group_silent": {},
    "console/new_messages": {"persona": _GROUP, "count": 2},
    "console/attachment": {"path": "/tmp/rekap-putaran-1.xlsx"},
    "console/round_name": {"opens_at": datetime(2026, 12, 1, 1, 0, tzinfo=UTC)},
    "console/delivery_note": {},
    "console/goodbye": {"kept": None},
    "errors/demo_examples_missing": {
        "directory": "/usr/lib/python3/site-packages/examples",
        "files": "koperasi.csv, pemasok.csv, produk.csv",
    },
    "errors/demo_database_exists": {"path": "belanja-bareng.sqlite3"},
}
