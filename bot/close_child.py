"""The rounds that are due closed by a child process, so the running bot keeps its memory.

A province's close (10,000 coops × 30 lines) builds its outcome (300,000 allocations, 10,000
bills) and writes it: about 160 MB at its peak and 5 s of CPU. Made in the bot, that memory
stayed with it (a Python process keeps what it once held: ~235 MB after its first big close,
against 75 MB at start) and the CPU competed with its chats for the interpreter. So the
scheduler's sweep (`bot.scheduler.RoundScheduler.sweep`) runs `usecases.sweeps`'s
`close_due_rounds` in

    python -P -m bot.close_child   (the job as one line of JSON on its stdin)

with a database connection of its own: the same use case and transactions (exactly one
caller closes a round; bills a crash left held are written by `finish_closes`), only when
a round is due or bills are held, and the sweep awaits the child's exit. The child dies with
its parent (`spreadsheets.child_process`): a bot killed in the middle of a close leaves the
database as a killed bot always did. A database that is not a file (":memory:"), or a child
that cannot start or fails, closes in the bot.

What it did is reported (`Closes`) so that the sweep wakes the outbox sender for what became
due: a closed round's messages, and the bills a crash had left held (released by
`finish_closes` when no round closes at all: without a wake-up they waited for the sender's
idle timeout).

Staff closing a round early from the chat (`/putaran tutup`) is the same close, and closes
in a child too (`close_round_apart`, the bot's `Services.close_early`): the child prints the
round's overview as JSON for the admin's reply. Closed in the bot, a province's round held
every chat up for seconds and left the bot at ~230 MB (`bench.close_live --early`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from purchasing.model import Round, RoundStatus
from purchasing.outcome import Overview, ProductResult
from spreadsheets.child_process import ChildFailed, die_with_parent, run_module
from storage import rounds
from storage.delivery import outbox
from usecases import rounds as round_moves
from usecases.context import UseCaseContext
from usecases.rounds import close_round_early, finish_close_early, may_close_early
from usecases.sweeps import close_due_rounds

MODULE = "bot.close_child"
PATIENCE_SECONDS = 600  # a province's close takes seconds; a stuck child is stopped
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Closes:
    """What `close_due_rounds_apart` did: how many rounds it closed, and whether bills a close
    had left held were there to write (they are due once written: the sender must know)."""

    rounds: int
    held_bills: bool = False


@dataclass(frozen=True, slots=True)
class CloseJob:
    """What the child needs to close as the bot would: the database file, the sweep's
    moment and the bot's settings a close uses."""

    database: str
    now: str  # ISO 8601, aware
    default_language: str
    payee: str
    zone: str  # an IANA key
    bills_per_transaction: int
    round_id: int | None = None  # staff closing this round early (None: the due rounds)

    @classmethod
    def of(
        cls, ctx: UseCaseContext, now: datetime, zone: ZoneInfo, round_id: int | None = None
    ) -> CloseJob:
        return cls(
            str(ctx.db.path), now.isoformat(), ctx.default_language, ctx.payee.value, zone.key,
            round_moves.BILLS_PER_TRANSACTION, round_id,
        )  # fmt: skip


async def close_due_rounds_apart(ctx: UseCaseContext, now: datetime) -> Closes:
    """`close_due_rounds(ctx, now)` in a child process: how many rounds it closed, and
    whether held bills were there to write. A child that cannot start or fails is logged and
    the rounds are closed in this process instead (a round closed late is worse than a big
    bot); one out of patience is killed and logged (the next sweep tries again)."""
    held = bool(await outbox.held_messages(ctx.db, "summary:", 1))
    zone = ctx.timezone
    if not ctx.db.path.is_file() or not isinstance(zone, ZoneInfo):
        return Closes(len(await close_due_rounds(ctx, now)), held)
    due = await rounds.due_for_close(ctx.db, now)
    if not held and not due:
        return Closes(0)
    job = json.dumps(asdict(CloseJob.of(ctx, now, zone))).encode()
    try:
        out, told = await run_module(MODULE, job, PATIENCE_SECONDS)
    except TimeoutError:
        log.error("closing the due rounds took over %d s; the next sweep tries again",
                  PATIENCE_SECONDS)  # fmt: skip
        return Closes(await _closed_before_it_stopped(ctx, due), held)
    except ChildFailed as failed:
        if failed.returncode < 0:  # stopped by a signal (the service stops): not redone here
            log.error("closing the due rounds was stopped: %s", failed)
            return Closes(await _closed_before_it_stopped(ctx, due), held)
        return Closes(await _close_here(ctx, now, failed), held)
    except OSError as failed:  # could not start it
        return Closes(await _close_here(ctx, now, failed), held)
    if told:  # a round the child could not close, logged there: the next sweep tries again
        log.warning("while closing the due rounds: %s", told)
    closed = int(out.split()[-1])
    if closed:
        await ctx.round_changed()
    return Closes(closed, held)


async def _closed_before_it_stopped(ctx: UseCaseContext, due: list[Round]) -> int:
    """How many of the `due` rounds a child stopped midway had closed all the same (each
    close is its own transaction): their messages are due and their alarms gone, so the
    scheduler is told as after any close (it wakes the sender and rebuilds its alarms)."""
    closed = 0
    for round_ in due:
        found = await rounds.get_round(ctx.db, round_.id)
        closed += found is not None and found.status is RoundStatus.CLOSED
    if closed:
        await ctx.round_changed()
    return closed


async def _close_here(ctx: UseCaseContext, now: datetime, failed: Exception) -> int:
    log.error("closing the due rounds in a child failed, closing them here: %s", failed)
    closed = len(await close_due_rounds(ctx, now))
    await ctx.round_changed()  # the child may have closed some before it failed
    return closed


async def close_round_apart(ctx: UseCaseContext, round_id: int) -> Overview | None:
    """`close_round_early(ctx, round_id)` in a child process: the round's overview, or None
    when this call did not close it (someone else closed or cancelled it first, or the child
    was stopped: see the round's status).

    The round stops taking orders here first (`may_close_early`), so no order is taken while
    the child starts; when another admin's close began a moment before, no second child is
    started. A child that cannot start or fails is logged and the round is closed
    in this process instead. One stopped (out of patience, or the service stops) is logged
    and not redone here: it may have closed the round; if not, the round stays closing and
    a sweep closes it (`purchasing.rounds.LEFT_CLOSING_AFTER`)."""
    now = ctx.now()
    zone = ctx.timezone
    if not ctx.db.path.is_file() or not isinstance(zone, ZoneInfo):
        return await close_round_early(ctx, round_id)
    if not await may_close_early(ctx, round_id, now):  # another admin's close may still run
        return None
    job = json.dumps(asdict(CloseJob.of(ctx, now, zone, round_id))).encode()
    try:
        out, told = await run_module(MODULE, job, PATIENCE_SECONDS)
    except (TimeoutError, ChildFailed) as failed:
        if isinstance(failed, ChildFailed) and failed.returncode > 0:
            return await _close_early_here(ctx, round_id, failed)
        log.error("closing round %s was stopped: %s; a sweep finishes it", round_id, failed)
        await ctx.round_changed()  # it may have closed it: the scheduler looks again
        return None
    except OSError as failed:  # could not start it
        return await _close_early_here(ctx, round_id, failed)
    if told:
        log.warning("while closing round %s: %s", round_id, told)
    found = json.loads(out.splitlines()[-1])
    if found is None:
        return None
    await ctx.round_changed()
    return overview_from_json(found)


async def _close_early_here(
    ctx: UseCaseContext, round_id: int, failed: Exception
) -> Overview | None:
    log.error("closing round %s in a child failed, closing it here: %s", round_id, failed)
    overview = await finish_close_early(ctx, round_id)
    await ctx.round_changed()  # the child may have closed it before it failed
    return overview


def overview_from_json(found: dict[str, Any]) -> Overview:
    """The `Overview` the child printed (`dataclasses.asdict` of it, as JSON)."""
    unfilled = tuple(ProductResult(**product) for product in found["unfilled"])
    cut = tuple(ProductResult(**product) for product in found["cut"])
    return Overview(**{**found, "unfilled": unfilled, "cut": cut})


async def close_as_job(job: CloseJob) -> str:
    """In the child: close as `job` says. The due rounds: how many were closed; one round
    early: its overview as JSON ("null": someone else closed it first)."""
    from purchasing.settlement import Payee
    from storage.database import Database, connect

    now = datetime.fromisoformat(job.now)
    round_moves.BILLS_PER_TRANSACTION = job.bills_per_transaction  # as the bot has it
    db = Database(Path(job.database), await connect(job.database))  # the bot migrated it
    try:
        ctx = UseCaseContext(
            db, lambda: now, job.default_language, Payee(job.payee), ZoneInfo(job.zone)
        )
        if job.round_id is None:
            return str(len(await close_due_rounds(ctx, now)))
        overview = await finish_close_early(ctx, job.round_id)
        return json.dumps(None if overview is None else asdict(overview))
    finally:
        await db.close()


def main() -> int:
    die_with_parent()
    job = CloseJob(**json.loads(sys.stdin.buffer.read()))
    print(asyncio.run(close_as_job(job)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
