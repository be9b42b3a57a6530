"""`/ingatkan`: an admin nudges, now, the coops of the open round that have not ordered yet.

`nudge_coops` works in ONE transaction: it reads the open round, who has ordered, who was
nudged in the last hour (`storage.nudges`, migration 0017) and every treasurer
(`storage.people.audience`), then queues one `reminder_nudge` per treasurer's private chat
(the same message and WhatsApp template as the scheduled reminder that nudges, see
`usecases.notices.reminders`) listing that person's coops being nudged, and records each
nudged coop with who nudged it and when. So the outbox rows exist if and only if the nudge
is recorded, and two admins pressing at once nudge a coop once.

Rules: a coop is nudged at most once per `NUDGE_EVERY` (a second `/ingatkan` within the
hour skips it and says when it may be nudged again); a coop that has ordered, or has no
treasurer who joined the bot, is not nudged. Dedupe key of a post:
"nudge:<round>:<time of the nudge>:<platform>:<chat>", so a redelivered command queues once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import UnknownCoop
from purchasing.model import Coop, Round
from purchasing.order_text import shorten
from purchasing.rounds import accepts_changes
from storage import nudges, rounds
from storage.commitment_reads import coops_with_orders
from storage.people.audience import Audience, load_audience
from storage.round_parties import coops_at_close
from usecases.context import UseCaseContext
from usecases.notices.posts import Post, queue_posts
from usecases.notices.reminders import nudge_key, order_example

log = logging.getLogger(__name__)

NUDGE_EVERY = timedelta(hours=1)
NUDGE_TEMPLATE = "reminder_nudge"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A coop nudged less than an hour ago: when, and from when it may be nudged again."""

    coop: Coop
    nudged_at: datetime

    @property
    def again_at(self) -> datetime:
        return self.nudged_at + NUDGE_EVERY


@dataclass(frozen=True, slots=True)
class NudgeOutcome:
    """What one `/ingatkan` did (`round` None: no round is open)."""

    round: Round | None
    nudged: list[Coop] = field(default_factory=list)
    treasurers: int = 0  # private chats a nudge was queued to
    skipped: list[Skipped] = field(default_factory=list)
    without_treasurer: list[Coop] = field(default_factory=list)
    already_ordered: list[Coop] = field(default_factory=list)  # only for a named coop

    @property
    def next_at(self) -> datetime | None:
        """The earliest time a skipped coop may be nudged again."""
        return min((skip.again_at for skip in self.skipped), default=None)


async def nudge_coops(ctx: UseCaseContext, by: str, coop_code: str | None = None) -> NudgeOutcome:
    """Nudge the open round's coops that have not ordered (or only `coop_code`) now, as
    `by` ("<platform>:<user id>"). Raises UnknownCoop when `coop_code` names no current coop
    (and then changes nothing)."""
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        round_ = await rounds.current_round(tx, now)
        if round_ is None or not accepts_changes(round_, now):  # past, or being closed
            return NudgeOutcome(None)
        coops = await coops_at_close(tx, round_.id)
        ordered = await coops_with_orders(tx, round_.id)
        if coop_code is not None:
            coops = [coop for coop in coops if coop.code == coop_code]
            if not coops:
                raise UnknownCoop(coop_code=shorten(coop_code))
            if coop_code in ordered:
                return NudgeOutcome(round_, already_ordered=coops)
        audience = await load_audience(tx)
        last = await nudges.last_nudged(tx, round_.id)
        due, skipped, without = [], [], []
        for coop in coops:
            if coop.code in ordered or coop.code in audience.retired_coops:
                continue
            if coop.code in last and now < last[coop.code] + NUDGE_EVERY:
                skipped.append(Skipped(coop, last[coop.code]))
            elif not audience.treasurers(coop.code):
                without.append(coop)
            else:
                due.append(coop)
        posts = nudge_posts(round_, due, audience, ctx.default_language, now)
        await queue_posts(tx, posts, now)
        await nudges.record_nudges(tx, round_.id, [coop.code for coop in due], now, by)
    if due:
        log.info("%s nudged %d coops of round %s", by, len(due), round_.id)
    return NudgeOutcome(round_, due, len(posts), skipped, without)


def nudge_posts(
    round_: Round, coops: list[Coop], audience: Audience, default_language: str, now: datetime
) -> list[Post]:
    """One `reminder_nudge` per treasurer's chat, naming that person's coops in `coops`."""
    coops_of: dict[tuple[str, str], list[Coop]] = {}
    for coop in coops:
        for rep in audience.treasurers(coop.code):
            coops_of.setdefault((rep.platform, rep.user_id), []).append(coop)
    catalog = Option("buttons/announce_catalog", payload=encode(Verb.CATALOG_PAGE, round_.id, 0))
    prefix = f"{nudge_key(round_.id)}{now:%Y%m%dT%H%M%S}"
    example = order_example(round_)
    posts = []
    for (platform, user_id), theirs in coops_of.items():
        context = {
            "round_id": round_.id,
            "round_name": round_.name,
            "closes_at": round_.closes_at,
            "coops": [
                {"coop_code": c.code, "coop_name": c.name, "lines": [], "total": 0} for c in theirs
            ],
            "example": example,
        }
        language = audience.language(platform, user_id, default_language)
        reply = Reply(NUDGE_TEMPLATE, context, language, ((catalog,),))
        posts.append(Post(platform, user_id, "nudge", f"{prefix}:{platform}:{user_id}", reply))
    return posts
