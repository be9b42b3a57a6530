"""Sweeps that make rounds run themselves: open what is due, close what is due, remind.

Each sweep reads what is due from the database at `now` and does it; each is safe to run
twice, late, after a restart, or in two tasks or processes at once:

- `open_due_rounds`: drafts whose `opens_at` passed are opened (`storage.rounds.open_round`
  moves draft → open with a conditional UPDATE, so only one caller opens) and announced
  (`announce_round_opened`, deduplicated per recipient). An open round whose announcement
  never got queued (the process stopped between the two) is announced by the next sweep.
- `close_due_rounds`: open rounds past their deadline go through `close_and_summarise`:
  `storage.rounds.close_round` decides in ONE transaction who closes, and the close summaries
  (`handlers.summaries`) are written by its hook in that same transaction; or the round gets
  its one MOQ extension, with notices queued the same way.
- `send_due_reminders` (in `handlers.reminders`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from handlers import summaries
from handlers.announcements import announce_round_opened
from handlers.services import Services
from purchasing.errors import InvalidTransition, PurchasingError
from purchasing.model import Round, RoundStatus
from purchasing.outcome import RoundOutcome
from storage import outbox, rounds
from storage.errors import AnotherRoundOpen

log = logging.getLogger(__name__)


async def open_due_rounds(services: Services, now: datetime) -> list[Round]:
    """Open and announce every draft whose opening time has come; the rounds this call opened.

    A draft that cannot open (deadline already passed, no products, a product gone from the
    catalog) stays a draft and is logged; staff see it in the round list. While another
    round is open a due draft waits, and opens at the first sweep after that one closes.
    """
    opened: list[Round] = []
    for draft in await rounds.due_for_open(services.db, now):
        if draft.closes_at <= now:
            continue  # can never open; reported when staff try to open it by hand
        try:
            round_ = await rounds.open_round(services.db, draft.id, now)
        except InvalidTransition:
            continue  # another task or process opened or cancelled it a moment ago
        except AnotherRoundOpen:
            log.debug("round %s waits for the open round to close", draft.id)
            continue
        except PurchasingError as error:
            log.warning("round %s is due to open but cannot: %s", draft.id, error)
            continue
        opened.append(round_)
    for round_ in await rounds.list_rounds(services.db, RoundStatus.OPEN):
        if round_.closes_at > now and not await _announced(services, round_.id):
            await announce_round_opened(services, round_)
    return opened


async def _announced(services: Services, round_id: int) -> bool:
    counts = await outbox.delivery_counts(services.db, dedupe_prefix=f"round_opened:{round_id}:")
    return sum(counts.values()) > 0


async def close_due_rounds(services: Services, now: datetime) -> list[RoundOutcome]:
    """Close every open round past its deadline (or give it its MOQ extension); the outcomes
    of the rounds this call closed. A round whose close fails is logged and left open, so the
    next sweep tries again."""
    closed: list[RoundOutcome] = []
    for round_ in await rounds.due_for_close(services.db, now):
        try:
            outcome = await close_and_summarise(services, round_.id, now)
        except Exception:
            log.exception("closing round %s failed; the next sweep tries again", round_.id)
            continue
        if outcome is not None:
            closed.append(outcome)
    return closed


async def close_and_summarise(
    services: Services, round_id: int, now: datetime, *, force: bool = False
) -> RoundOutcome | None:
    """`storage.rounds.close_round` with the summaries (and extension notices) queued in its
    transaction. Staff closing early call it with `force=True` (no MOQ extension then).
    None when this call did not close the round (see `close_round`)."""
    return await rounds.close_round(
        services.db,
        round_id,
        now,
        force=force,
        on_closed=summaries.on_closed(services, now),
        on_extended=summaries.on_extended(services, now),
    )
