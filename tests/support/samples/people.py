"""Sample contexts for removing admins in the chat and the command line's `admins`, `invites`
and `reps` commands, built the way `handlers.admin.admins` and `bot.cli.people_commands` do."""

from __future__ import annotations

from datetime import timedelta

from purchasing.model import Admin, Invite, Rep, RepRole
from tests.support.builders import NOW, make_coop
from usecases.people import InviteMade

_ADMINS = [
    Admin("telegram", "111", "", "config", NOW),
    Admin("telegram", "9001", "Mbak <Rina>", "telegram:111", NOW),
    Admin("whatsapp", "6281234567890", "", "admin:sari", NOW),
]
_COOP = make_coop("DT")
_REPS = [
    Rep("telegram", "5101", "DT", display_name="Bu <Ani>"),
    Rep("whatsapp", "6281200000001", "DT"),
    Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER, "Pak Joko"),
]
_INVITE = Invite("q3Xk_9fA-2LmPz0w", "DT", 2, 0, None, "admin:sari", NOW)
_INVITES = [
    _INVITE,
    Invite("Zz9", "DT", 2, 2, None, "admin:sari", NOW),
    Invite("Aa1", "KOP01", None, 4, NOW - timedelta(hours=1), "telegram:111", NOW),
    Invite("Bb2", "KOP01", None, 0, NOW + timedelta(days=7), "telegram:111", NOW),
]
_LINKS = {"telegram": "https://t.me/BelanjaBarengBot?start=q3Xk_9fA-2LmPz0w"}

SAMPLES: dict[str, dict[str, object]] = {
    "admin_remove_usage": {"admins": _ADMINS},
    "admin_removed": {
        "admin": "telegram:111",
        "name": "Pak <Dinas>",
        "yourself": False,
        "from_config": True,
    },
    "cli/admins": {"admins": _ADMINS, "from_config": ["telegram:111"]},
    "cli/admin_added": {"user_id": "telegram:123456789", "already": False},
    "cli/admin_removed": {"admin": "telegram:111", "display_name": "", "from_config": True},
    "cli/invite_created": InviteMade(_COOP, _INVITE).context(_LINKS),
    "cli/invite_revoked": {"code": "q3Xk_9fA-2LmPz0w", "coop_code": "DT", "ended_before": NOW},
    "cli/invites": {"coop_code": None, "invites": _INVITES, "now": NOW},
    "cli/reps": {"coop": None, "reps": _REPS},
    "cli/rep_removed": {"rep": _REPS[0]},
    "errors/cli_admin_unknown": {"admin": "telegram:999", "admins": _ADMINS},
    "errors/cli_admin_last": {"admin": "telegram:111"},
    "errors/cli_rep_unknown": {"rep": "telegram:5", "coop_code": "DT", "reps": _REPS[:2]},
    "errors/cli_invite_max_uses": {"got": "0", "max_uses": 1000},
}
