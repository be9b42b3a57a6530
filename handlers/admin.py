"""Dinas staff in the chat: every admin command and button, gathered for the router.

Each lives in a small module of its own (`admin_recap`, `admin_rounds`, `admin_round_moves`,
`admin_people`, `admin_admins`, `admin_orders`, `admin_exports`); every handler there is
wrapped in `admin_guard.admin_only`.
Button verbs: "ar" recap, "am" round menu, "aq"/"ay" ask to close/cancel, "ac"/"ax" close/
cancel confirmed, "an" never mind, "ad" remove a coop's rep.
"""

from __future__ import annotations

from handlers import (
    admin_exports,
    admin_orders,
    admin_people,
    admin_recap,
    admin_round_moves,
    admin_rounds,
)
from handlers.flow import Handler

COMMANDS: dict[str, Handler] = {
    **admin_recap.COMMANDS,
    **admin_rounds.COMMANDS,
    **admin_people.COMMANDS,
    **admin_orders.COMMANDS,
    **admin_exports.COMMANDS,
}
CALLBACKS: dict[str, Handler] = {
    **admin_recap.CALLBACKS,
    **admin_rounds.CALLBACKS,
    **admin_round_moves.CALLBACKS,
    **admin_people.CALLBACKS,
}
