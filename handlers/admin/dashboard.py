"""`/dasbor` (alias /dashboard): an admin's personal sign-in link to the web dashboard.

The link `<dashboard_url>/masuk/<token>` signs its admin in once, within
`usecases.dashboard.LINK_MINUTES`; `/dasbor keluar` (alias `logout`) ends every session and
unused link of the admin. Only admins, and only in the private chat (a link posted in a
group would sign in whoever opens it first); a treasurer is told the dashboard is the Dinas's.
Where `belanja-bareng run` serves no dashboard (`[dashboard] enabled = false`) it says so.
"""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb
from messages.replies import Reply
from purchasing.model import RepRole
from usecases import dashboard

SIGN_OUT_WORDS = frozenset({"keluar", "logout"})


async def show_dashboard(services: Services, turn: Turn) -> list[Reply]:
    if not turn.person.is_admin:
        coop_rep = any(rep.role is RepRole.TREASURER for rep in turn.person.reps)
        return [error_reply(turn.person, "dashboard_not_admin", {"coop_rep": coop_rep})]
    return await _for_admin(services, turn)


@admin_only
async def _for_admin(services: Services, turn: Turn) -> list[Reply]:
    word = turn.args.strip().casefold()
    if word in SIGN_OUT_WORDS:
        ended = await dashboard.sign_out_everywhere(
            services, turn.person.platform, turn.person.user_id
        )
        return [turn.reply("admin_dashboard_signed_out", {"sessions": ended})]
    if word:
        return [turn.reply("admin_dashboard_usage", {"got": turn.args.strip()[:32]})]
    if not services.dashboard_url:
        return [turn.reply("admin_dashboard_off")]
    minutes = services.dashboard_link_minutes
    link = await dashboard.make_link(services, turn.person.platform, turn.person.user_id, minutes)
    url = f"{services.dashboard_url.rstrip('/')}/masuk/{link.token}"
    context = {"url": url, "minutes": minutes, "expires_at": link.expires_at}
    return [turn.reply("admin_dashboard_link", context)]


COMMANDS: dict[str, Handler] = {"dasbor": show_dashboard, "dashboard": show_dashboard}
CALLBACKS: dict[Verb, Handler] = {}
