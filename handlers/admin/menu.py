"""Dinas staff in the chat: every admin command and button, gathered for the router.

Each lives in a small module of its own in this package (`recap`, `rounds`, `round_moves`,
`people`, `admins`, `orders`, `exports`); every handler there is wrapped in
`guard.admin_only`.
Button verbs: "ar" recap, "am" round menu, "aq"/"ay" ask to close/cancel, "ac"/"ax" close/
cancel confirmed, "an" never mind, "ad" remove a coop's rep.
"""

from __future__ import annotations

from handlers.admin import exports, orders, payments, people, recap, round_moves, rounds
from handlers.contract.flow import Handler
from messages.buttons import Verb

COMMANDS: dict[str, Handler] = {
    **recap.COMMANDS,
    **rounds.COMMANDS,
    **people.COMMANDS,
    **orders.COMMANDS,
    **exports.COMMANDS,
    **payments.COMMANDS,
}
CALLBACKS: dict[Verb, Handler] = {
    **recap.CALLBACKS,
    **rounds.CALLBACKS,
    **round_moves.CALLBACKS,
    **people.CALLBACKS,
    **payments.CALLBACKS,
}
