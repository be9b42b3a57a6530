"""`/ingatkan` (alias /remind): an admin nudges, now, the coops that have not ordered yet.

`/ingatkan` nudges every coop of the open round that has not ordered; `/ingatkan KODE`
only that coop. The button "ain:<round>" under `/rekap` does the same as `/ingatkan` (checked
again: an admin, and still the open round). The rules (once per coop per hour, who is
skipped) live in `usecases.nudges`; the reply says how many coops and treasurers were
nudged, which coops were skipped and from when they may be nudged again.
"""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb
from messages.replies import Reply
from purchasing.errors import UnknownCoop
from storage import rounds
from usecases.nudges import NudgeOutcome, nudge_coops


@admin_only
async def nudge(services: Services, turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if len(parts) > 1:
        return [turn.reply("admin_nudge_usage", {"typed": turn.args[:32]})]
    code = parts[0].upper() if parts else None
    try:
        outcome = await nudge_coops(services, turn.event.actor, code)
    except UnknownCoop:
        return [turn.reply("admin_nudge_usage", {"typed": turn.args[:32]})]
    return [_outcome_reply(turn, outcome)]


@admin_only
async def nudge_button(services: Services, turn: Turn) -> list[Reply]:
    """ "ain:<round>": nudge from the recap, only while that round is the open one."""
    assert turn.payload is not None
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None or round_.id != turn.payload.int_arg(0):
        raise ForgedPayload(turn.payload)
    return [_outcome_reply(turn, await nudge_coops(services, turn.event.actor))]


def _outcome_reply(turn: Turn, outcome: NudgeOutcome) -> Reply:
    if outcome.round is None:
        return turn.reply("admin_no_open_round")
    context = {
        "round": outcome.round,
        "nudged": outcome.nudged,
        "treasurers": outcome.treasurers,
        "skipped": outcome.skipped,
        "next_at": outcome.next_at,
        "without_treasurer": outcome.without_treasurer,
        "already_ordered": outcome.already_ordered,
    }
    return turn.reply("admin_nudged", context)


COMMANDS: dict[str, Handler] = {"ingatkan": nudge, "remind": nudge}
CALLBACKS: dict[Verb, Handler] = {Verb.NUDGE: nudge_button}
