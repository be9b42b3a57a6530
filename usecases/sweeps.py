"""Sweeps that make rounds run themselves: open what is due, close what is due, remind.

Each sweep reads what is due from the database at `now` and calls the use case for it; each
is safe to run twice, late, after a restart, or in two tasks or processes at once, because
the use cases decide inside their own transaction (a draft opens once, a round closes once,
every notice has a dedupe key):

- `open_due_rounds`: drafts whose `opens_at` passed are opened and announced
  (`usecases.rounds.open_round`). While another round is open a due draft waits.
- `close_due_rounds`: open rounds past their deadline are closed with their summaries, or
  get their one MOQ extension (`usecases.rounds.close_round`); bills a close left unwritten
  when the process stopped are written (`usecases.rounds.finish_closes`).
- `send_due_reminders`: the reminder due for each open round (`purchasing.reminders`).
- `remind_unpaid_bills`: each bill still owing after its due date, once a day, outside
  quiet hours.
- `prune_sent_messages`: outbox rows sent longer ago than the configured age are deleted
  (once a day; the audit log is kept).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from purchasing.errors import AnotherRoundOpen, InvalidTransition, PurchasingError
from purchasing.model import Round, RoundStatus
from purchasing.outcome import RoundOutcome
from purchasing.reminders import QuietPeriod, ReminderPolicy, due_reminder
from storage import payments, rounds
from storage.delivery import outbox
from usecases.context import UseCaseContext
from usecases.notices.posts import queue_posts
from usecases.notices.reminders import reminder_key, reminder_posts, unpaid_bill_posts
from usecases.rounds import close_round, finish_closes, open_round, report_draft_expired

log = logging.getLogger(__name__)


async def open_due_rounds(ctx: UseCaseContext, now: datetime) -> list[Round]:
    """Open and announce every draft whose opening time has come; the rounds this call opened.

    A draft that cannot open (deadline already passed, no products, a product gone from the
    catalog) stays a draft and is logged; staff see it in the round list. One whose deadline
    passed is logged once, when its admins are told (`report_draft_expired`). While another
    round is open a due draft waits, and opens at the first sweep after that one closes.
    """
    opened: list[Round] = []
    for draft in await rounds.due_for_open(ctx.db, now):
        if draft.closes_at <= now:
            if await report_draft_expired(ctx, draft, now):
                log.warning(
                    "draft round %s stays a draft: its deadline %s passed before it could open",
                    draft.id, draft.closes_at.isoformat(),
                )  # fmt: skip
            continue
        try:
            opened.append(await open_round(ctx, draft.id, now))
        except InvalidTransition:
            continue  # another task or process opened or cancelled it a moment ago
        except AnotherRoundOpen:
            log.debug("round %s waits for the open round to close", draft.id)
        except PurchasingError as error:
            log.warning("round %s is due to open but cannot: %s", draft.id, error)
    return opened


async def close_due_rounds(ctx: UseCaseContext, now: datetime) -> list[RoundOutcome]:
    """Close every open round past its deadline (or give it its MOQ extension); the outcomes
    of the rounds this call closed. A round whose close fails is logged and left open, so the
    next sweep tries again."""
    closed: list[RoundOutcome] = []
    for round_ in await rounds.due_for_close(ctx.db, now):
        try:
            outcome = await close_round(ctx, round_.id, now=now)
        except Exception:
            log.exception("closing round %s failed; the next sweep tries again", round_.id)
            continue
        if outcome is not None:
            closed.append(outcome)
    try:
        await finish_closes(ctx)  # bills a close left unwritten (the process stopped)
    except Exception:
        log.exception("writing the held bills of a closed round failed; the next sweep tries again")
    return closed


async def remind_unpaid_bills(
    ctx: UseCaseContext, now: datetime, due_days: int, quiet: QuietPeriod
) -> int:
    """Tell the treasurers of every overdue bill what is still owed, once per bill and local
    day (its dedupe key names the day), never in quiet hours; how many were queued."""
    if quiet.contains(now):
        return 0
    overdue = [bill for bill in await payments.bills_due(ctx.db) if bill.overdue(now, due_days)]
    if not overdue:
        return 0
    day = now.astimezone(quiet.zone).date().isoformat()
    async with ctx.db.transaction() as tx:
        posts = await unpaid_bill_posts(tx, overdue, day, due_days, ctx.default_language)
        return await queue_posts(tx, posts, now)


async def send_due_reminders(
    ctx: UseCaseContext, now: datetime, policy: ReminderPolicy | None = None
) -> int:
    """Queue the reminders due at `now`; how many messages were newly queued."""
    chosen = policy or ReminderPolicy()
    queued = 0
    for round_ in await rounds.list_rounds(ctx.db, RoundStatus.OPEN):
        offset = due_reminder(round_, now, chosen)
        if offset is None:
            continue
        prefix = reminder_key(round_, offset)
        if sum((await outbox.delivery_counts(ctx.db, dedupe_prefix=f"{prefix}:")).values()):
            continue  # queued before (all its rows go in one transaction): only read
        async with ctx.db.transaction() as tx:
            current = await rounds.get_round(tx, round_.id)
            if current != round_:  # closed, cancelled or extended since: its move withdrew
                continue  # the reminders queued before it, and none may be queued after
            posts = await reminder_posts(tx, ctx.default_language, round_, offset)
            queued += await queue_posts(tx, posts, now)
    return queued


def keep_sent_for(keep_sent_days: int, policy: ReminderPolicy) -> timedelta | None:
    """How long a sent message is kept: `keep_sent_days` (0: for ever, None), but always a
    day longer than the longest reminder offset. A reminder stays due, and its dedupe key is
    looked up, from `closes_at - offset` until the deadline; forgetting its rows sooner
    would queue it again."""
    if keep_sent_days == 0:
        return None
    longest = max(policy.offsets, default=timedelta(0))
    return max(timedelta(days=keep_sent_days), longest + timedelta(days=1))


async def prune_sent_messages(ctx: UseCaseContext, now: datetime, keep: timedelta | None) -> int:
    """Delete the outbox rows sent more than `keep` ago (None: keep them all); how many went.

    Only sent rows go: pending rows wait to be sent, failed and unreachable ones are what
    admins may still ask about. Safe to run at any time and twice: docs/delivery.md
    (pruning) says why no message is queued again once its row is gone."""
    if keep is None:
        return 0
    pruned = await outbox.forget_sent_before(ctx.db, now - keep)
    if pruned:
        log.info("forgot %d outbox messages sent before %s", pruned, now - keep)
    return pruned
