"""The moves of a round: create, open, extend, cancel, close; and its outcome.

Each move is ONE `BEGIN IMMEDIATE` transaction that loads the round, asks
`purchasing.rounds` (the state machine) for the move, writes it with a conditional
`UPDATE ... WHERE status = ?` (`storage.round_rows.save_round`), and queues the notices the
move causes (`usecases.notices`) in the same transaction: a crash loses both or neither.
Chat (Telegram, WhatsApp, console), the command line and the scheduler's sweeps call these
same functions, so every rule is checked once, here, inside the transaction:

- `create_round`: the plan must be able to open (`check_plan`: deadline after now and after
  opening; products known and current; a draft's deadline after the open round's,
  `check_draft_can_open`); `open_now` opens it at once.
- `open_round`: one round is open at a time (`check_none_open`); the prices are snapshotted
  again from the catalog; everyone is told (`round_opened_posts`).
- `extend_round` / `cancel_round`: staff move an open round; everyone is told.
- `report_draft_expired`: a due draft whose deadline passed before it could open stays a
  draft; the admins are told once.
- `close_round`: exactly one caller closes a due round, even from a sweep that runs twice,
  late, or in two processes; it writes the outcome and queues every bill, purchase order,
  group result and overview. A round whose `MoqPolicy.EXTEND` applies gets its one extension
  instead, with notices to the coops affected. So that a province's close (10,000 coops)
  does not keep every chat waiting, its outcome and what follows from it (summaries, sums)
  are computed before the transaction (used only if nothing changed since), its 300,000
  commitments get their allocations before it too, in short transactions while the round
  is still open (`_allocate_ahead`: nothing reads an open round's allocations; the
  transaction writes them all itself if anything changed, or if a VACUUM may have moved
  the rows they were written to: `_usable`), and the bills are queued in it
  as held rows whose messages are written after it, in short transactions (`_write_bills`;
  `finish_closes` after a crash). See docs/delivery.md, "A close's bills".

Every move that ends a round's orders or moves its deadline (close, staff beginning a close,
cancel, extend, the MOQ extension) withdraws in its transaction the round's reminders and
nudges not sent yet (`withdraw_reminders`): they name a deadline that no longer holds.

After a move commits, `ctx.round_changed()` lets the scheduler rebuild its alarms.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from messages.replies import Reply
from purchasing import rounds as rules
from purchasing.as_it_stands import as_it_stands
from purchasing.errors import RoundEmpty
from purchasing.model import Round, RoundItem, RoundPlan, RoundStatus, Supplier
from purchasing.outcome import (
    Overview,
    RoundOutcome,
    compute_outcome,
    outcome_of_groups,
    settle_group,
)
from purchasing.settlement import Payee
from storage import rounds, supply
from storage.catalog.reads import list_products, products_with_standing
from storage.commitment_reads import commitments_for_round, last_change, totals_for_round
from storage.database import Connection, Transaction
from storage.delivery import outbox
from storage.errors import UnknownRound
from storage.people.audience import load_audience
from storage.round_parties import RoundParties, current_parties, keep_parties, parties_for
from storage.round_results import (
    CommitmentRows,
    allocate,
    commitment_rows,
    rows_unmoved,
    stage_outcome,
    store_outcome,
    unstage_outcome,
)
from storage.round_rows import (
    commitments_among,
    commitments_of_products,
    replace_items,
    require_round,
    save_round,
)
from storage.round_summaries import SummaryRows, store_summary, summary_rows
from usecases.context import UseCaseContext
from usecases.notices.announcements import round_moved_posts, round_opened_posts
from usecases.notices.audience import round_news_readers
from usecases.notices.posts import Post, queue_posts
from usecases.notices.reminders import (
    DEADLINE_MOVED,
    ROUND_CANCELLED,
    ROUND_CLOSED,
    ROUND_CLOSING,
    withdraw_reminders,
)
from usecases.notices.summaries import (
    CloseReaders,
    CloseSummaries,
    WrittenBills,
    bills_key_prefix,
    build_close_summaries,
    close_readers,
    extension_notice_posts,
    write_bills,
)

log = logging.getLogger(__name__)
BILLS_PER_TRANSACTION = 250  # a batch of bills written takes ~0.1 s: the bot answers between
ALLOCATIONS_PER_TRANSACTION = 25_000  # rowids per transaction of `_allocate_ahead` (~0.05 s)
PRODUCTS_PER_READ = 30  # products whose commitments a close reads and settles together
COMMITMENTS_PER_READ = 30_000  # or more products, while they have about this many in all
MOST_PRODUCTS_PER_READ = 500  # parameters of one read: SQLite before 3.32 takes 999 at most


async def create_round(ctx: UseCaseContext, plan: RoundPlan, *, open_now: bool = False) -> Round:
    """A draft round listing its products as the catalog has them now (every current product
    when the plan names none); with `open_now`, opened and announced in the same transaction.

    Raises OpenAfterDeadline or DeadlineBeforeOpening (`check_plan`), RoundEmpty,
    UnknownProduct or ProductRetired, without `open_now` DraftNeverOpens (its deadline not
    after the open round's), and with `open_now` the errors of `open_round`; then nothing
    is kept.
    """
    now = ctx.now()
    rules.check_plan(plan, now)
    async with ctx.db.transaction() as tx:
        if not open_now:
            rules.check_draft_can_open(plan, await rounds.list_rounds(tx, RoundStatus.OPEN))
        codes = list(dict.fromkeys(plan.product_codes))
        if not codes:
            codes = [product.code for product in await list_products(tx, include_retired=False)]
        if not codes:
            raise RoundEmpty(round_name=plan.name)
        products = rules.offered_products(codes, *await products_with_standing(tx, codes))
        round_id = await rounds.insert_round(
            tx, plan, [RoundItem.snapshot(p) for p in products], now
        )
        created = await require_round(tx, round_id)
        if open_now:
            created = await _open(ctx, tx, created, now)
    await ctx.round_changed()
    return created


async def open_round(ctx: UseCaseContext, round_id: int, now: datetime | None = None) -> Round:
    """draft → open at `now` (default: the clock), prices snapshotted again from the
    catalog, everyone told. Raises AnotherRoundOpen while another round is open, and the
    errors of `purchasing.rounds.open_round`."""
    at = now or ctx.now()
    async with ctx.db.transaction() as tx:
        opened = await _open(ctx, tx, await require_round(tx, round_id), at)
    await ctx.round_changed()
    return opened


async def _open(ctx: UseCaseContext, tx: Transaction, round_: Round, now: datetime) -> Round:
    if round_.status is RoundStatus.DRAFT:
        rules.check_none_open(await rounds.list_rounds(tx, RoundStatus.OPEN))
    codes = [item.product_code for item in round_.items]
    products = rules.offered_products(codes, *await products_with_standing(tx, codes))
    opened = rules.open_round(round_, products, now)
    await _save(tx, opened, expected=round_.status)
    await replace_items(tx, opened.id, opened.items)
    readers = await round_news_readers(tx, ctx.default_language)
    await queue_posts(tx, round_opened_posts(opened, readers), now)
    return opened


async def extend_round(ctx: UseCaseContext, round_id: int, new_closes_at: datetime) -> Round:
    """A later deadline for an open round (RoundNotOpen / DeadlineNotLater otherwise);
    everyone is told."""
    async with ctx.db.transaction() as tx:
        round_ = await require_round(tx, round_id)
        extended = rules.extend_round(round_, new_closes_at, ctx.now())
        await _save(tx, extended, expected=round_.status)
        await withdraw_reminders(tx, round_id, DEADLINE_MOVED)
        await _tell_moved(ctx, tx, round_, extended)
    await ctx.round_changed()
    return extended


async def cancel_round(ctx: UseCaseContext, round_id: int) -> Round:
    """A draft or open round → cancelled (InvalidTransition otherwise, ClosingNotCancelled
    while staff's close of it may run); everyone is told."""
    async with ctx.db.transaction() as tx:
        round_ = await require_round(tx, round_id)
        cancelled = rules.cancel_round(round_, ctx.now())
        await _save(tx, cancelled, expected=round_.status)
        await withdraw_reminders(tx, round_id, ROUND_CANCELLED)
        await _tell_moved(ctx, tx, round_, cancelled)
    await ctx.round_changed()
    return cancelled


async def report_draft_expired(ctx: UseCaseContext, draft: Round, now: datetime) -> int:
    """A draft due to open whose deadline passed first (it waited for another round, or the
    process was down): it stays a draft, and each admin is told once, in their language
    (kind and dedupe key "draft_expired:<round>:<platform>:<user>"). How many notices were
    new: 0 when the admins were told before (or there are none)."""
    context = {"round_id": draft.id, "round_name": draft.name, "closes_at": draft.closes_at}
    async with ctx.db.transaction() as tx:
        audience = await load_audience(tx)
        posts = []
        for platform, user_id in audience.admins:
            language = audience.language(platform, user_id, ctx.default_language)
            key = f"draft_expired:{draft.id}:{platform}:{user_id}"
            reply = Reply("admin_draft_expired", context, language)
            posts.append(Post(platform, user_id, "draft_expired", key, reply))
        return await queue_posts(tx, posts, now)


async def _tell_moved(ctx: UseCaseContext, tx: Transaction, before: Round, after: Round) -> None:
    readers = await round_news_readers(tx, ctx.default_language)
    await queue_posts(tx, round_moved_posts(before, after, readers), ctx.now())


async def _save(tx: Transaction, round_: Round, *, expected: RoundStatus) -> None:
    if not await save_round(tx, round_, expected=expected):
        raise RuntimeError(f"round {round_.id} changed under a write transaction")


async def close_round(
    ctx: UseCaseContext, round_id: int, *, force: bool = False, now: datetime | None = None
) -> RoundOutcome | None:
    """Close an open round whose deadline has passed at `now` (default: the clock), or any
    time with `force` (staff closing early: the round first stops taking orders, in a short
    transaction of its own, `begin_closing`), in ONE transaction with every close summary's
    outbox row (the bills' rows held, their messages written right after it).

    Returns the outcome to the one caller that closed it. Returns None, changing nothing
    (but allocations its commitments may have been given ahead, which nothing reads while it
    is not closed), when the round is already closed or cancelled, or (without `force`) not
    due yet. Without `force`, a round whose `MoqPolicy.EXTEND` applies gets its one
    extension instead (with its notices) and None is returned, unless that extension too
    has already passed (the process was down), in which case it closes. A draft raises
    InvalidTransition. How long its transaction held the write lock is logged (debug).
    """
    with _many_small_objects():  # no collection rescans the round while it closes
        return await _close_round(ctx, round_id, now or ctx.now(), force=force)


async def close_round_early(ctx: UseCaseContext, round_id: int) -> Overview | None:
    """Staff closing an open round now, before its deadline too: its overview, or None when
    this call did not close it (someone else closed or cancelled it first, or another
    admin's close began a moment ago and may still run)."""
    if not await may_close_early(ctx, round_id, ctx.now()):
        return None
    return await finish_close_early(ctx, round_id)


async def may_close_early(ctx: UseCaseContext, round_id: int, at: datetime) -> bool:
    """Staff confirmed closing the round at `at`: it stops taking orders (`begin_closing`).
    Whether this caller goes on to close it: not while another close that began it may
    still run (`purchasing.rounds.close_underway`)."""
    if await begin_closing(ctx, round_id, at):
        return True
    round_ = await rounds.get_round(ctx.db, round_id)
    return round_ is None or not rules.close_underway(round_, at)


async def finish_close_early(ctx: UseCaseContext, round_id: int) -> Overview | None:
    """The close of a round staff began closing (`may_close_early`; `close_round` with
    `force`): its overview, or None when it was closed or cancelled meanwhile."""
    outcome = await close_round(ctx, round_id, force=True)
    return None if outcome is None else outcome.overview


async def _close_round(
    ctx: UseCaseContext, round_id: int, at: datetime, *, force: bool
) -> RoundOutcome | None:
    """`close_round`'s steps (what it builds is freed on return, before collections resume)."""
    if force:
        await begin_closing(ctx, round_id, at)
    prepared = await _prepare(ctx, round_id, at, force=force)
    ahead = prepared is not None and await _allocate_ahead(ctx, prepared, at, force=force)
    async with ctx.db.transaction() as tx:
        round_ = await _current(tx, round_id)
        began = time.perf_counter()  # its BEGIN IMMEDIATE went with that first statement
        if round_.status in (RoundStatus.CLOSED, RoundStatus.CANCELLED):
            return None
        force = force or round_.closing_since is not None
        if round_.status is RoundStatus.OPEN and at < round_.closes_at and not force:
            return None
        closed = rules.close_round(round_, at, force=force)
        usable = await _usable(tx, prepared, round_)
        if not force and await _extended_for_moq(ctx, tx, round_, at, usable):
            outcome = None
        else:
            outcome = await _close(ctx, tx, closed, at, usable, allocated=ahead)
    log.debug(
        "round %s %s: its decision transaction held the write lock %.3f s",
        round_id, "closed" if outcome is not None else "extended", time.perf_counter() - began,
    )  # fmt: skip
    await ctx.round_changed()
    if outcome is not None:
        try:
            await _write_bills(ctx, closed, outcome, at)
        except Exception:  # the round is closed; the next sweep writes its held bills
            log.exception("writing the bills of round %s failed; the next sweep goes on", round_id)
    return outcome


async def begin_closing(ctx: UseCaseContext, round_id: int, at: datetime) -> bool:
    """Staff closing an open round early: it takes no order from `at` on, so the outcome
    prepared next stays valid until the close's transaction, however many treasurers write
    meanwhile (otherwise that transaction computes it again, holding the write lock).
    Whether this call began closing it: nothing changes for a round not open, or that staff
    began closing before."""
    async with ctx.db.transaction() as tx:
        round_ = await rounds.get_round(tx, round_id)
        if round_ is None or round_.status is not RoundStatus.OPEN:
            return False
        closing = rules.stop_orders(round_, at)
        if closing == round_:
            return False
        await _save(tx, closing, expected=RoundStatus.OPEN)
        await withdraw_reminders(tx, round_id, ROUND_CLOSING)
        return True


async def _current(tx: Transaction, round_id: int) -> Round:
    """The round as the close's transaction reads it, first: the value `_prepare` read when
    its version has not changed since (`storage.round_cache`), so the transaction neither
    reads its 300 items again nor compares them one by one with the prepared round's."""
    round_ = await rounds.get_round(tx, round_id)
    if round_ is None:
        raise UnknownRound(round_id=round_id)
    return round_


async def _usable(tx: Transaction, prepared: _Prepared | None, round_: Round) -> _Prepared | None:
    """The prepared close, if made from this same `round_` and its commitments still lie
    where it found them. A VACUUM since (an operator's) may have renumbered their rowids:
    then the allocations written ahead by rowid, and the rows read by them, may have missed
    some, and nothing prepared is used: the close computes and writes it all itself, as
    when anything changed (checked by the schema version VACUUM raises: no commitment read)."""
    if prepared is None or prepared.round_ != round_:
        return None
    if prepared.rows is not None and not await rows_unmoved(tx, prepared.rows):
        log.info("round %s: the database was rebuilt while it closed: all written again", round_.id)
        return None
    return prepared


async def _extended_for_moq(
    ctx: UseCaseContext,
    tx: Transaction,
    round_: Round,
    now: datetime,
    prepared: _Prepared | None = None,
) -> bool:
    """Give the round its one MOQ extension if it applies now (and tell those affected).
    Its products' totals are the `prepared` outcome's while no commitment changed since (a
    province's are a pass over 300,000 index entries, ~0.06 s of the write lock)."""
    if prepared is not None and prepared.last_change == await last_change(tx):
        totals = _totals(prepared.outcome)
    else:
        totals = await totals_for_round(tx, round_.id)
    new_deadline = rules.moq_extension(round_, totals)
    if new_deadline is None or new_deadline <= now:
        return False
    extended = rules.extend_round(round_, new_deadline, now, for_moq=True)
    await _save(tx, extended, expected=RoundStatus.OPEN)
    await withdraw_reminders(tx, round_.id, DEADLINE_MOVED)
    posts = await extension_notice_posts(tx, extended, totals, ctx.default_language)
    await queue_posts(tx, posts, now)
    return True


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A close's outcome computed before its transaction, from `round_` as it was, the
    parties and the commitments read after commitment change `last_change` (and where
    they lie in the table, `rows`); and what the close writes that follows from it alone:
    the round closed (`closed`), the sums for the reports (`sums`) and the close summaries
    (`summaries`, for `readers`)."""

    round_: Round
    last_change: int
    parties: RoundParties
    outcome: RoundOutcome
    rows: CommitmentRows | None
    closed: Round
    sums: SummaryRows
    readers: CloseReaders
    summaries: CloseSummaries


async def _prepare(
    ctx: UseCaseContext, round_id: int, now: datetime, *, force: bool
) -> _Prepared | None:
    """The outcome of an open round due to close (None: not one), computed without holding
    the database (`settled_in_groups`), and what the close writes from it, built on worker
    threads. The close's transaction uses each only if nothing it depends on changed since:
    what it holds the write lock for is then mostly the SQL (`bench.close` prints it)."""
    round_ = await rounds.get_round(ctx.db, round_id)
    if round_ is None or round_.status is not RoundStatus.OPEN:
        return None
    force = force or round_.closing_since is not None
    if now < round_.closes_at and not force:
        return None
    changed = await last_change(ctx.db)
    parties = await current_parties(ctx.db, round_id)
    rows = await commitment_rows(ctx.db, round_id)
    readers = await close_readers(ctx.db)
    per_read = _per_read(round_, rows)
    outcome = await settled_in_groups(ctx.db, round_, parties, per_read=per_read, rows=rows)
    closed = rules.close_round(round_, now, force=force)
    by_supplier = ctx.payee is Payee.SUPPLIER
    with _many_small_objects():
        sums = await asyncio.to_thread(summary_rows, outcome, by_supplier=by_supplier)
        summaries = await asyncio.to_thread(
            build_close_summaries, closed, outcome, readers, ctx.default_language
        )
    return _Prepared(round_, changed, parties, outcome, rows, closed, sums, readers, summaries)


async def _allocate_ahead(
    ctx: UseCaseContext, prepared: _Prepared, now: datetime, *, force: bool
) -> bool:
    """Write the prepared outcome's allocations and prices into the round's commitments
    while it is still open, `ALLOCATIONS_PER_TRANSACTION` rowids per short transaction (the
    bot answers in between), so that the close's transaction need not (a province's
    300,000 rows: ~0.5 s of its write lock). Whether all were written. Each transaction
    first checks that the round and its commitments are as prepared (else stops: the close
    computes and writes them itself); nothing reads an open (or cancelled) round's
    allocations, and a crash leaves an open round that the next sweep closes. Not when the
    round is about to get its MOQ extension instead."""
    round_, rows = prepared.round_, prepared.rows
    if rows is None:
        return True  # no commitments: nothing to write
    extension = rules.moq_extension(round_, _totals(prepared.outcome))
    closing = force or round_.closing_since is not None
    if not closing and extension is not None and extension > now:
        return False
    staged = await stage_outcome(ctx.db, prepared.outcome)
    held: list[float] = []
    try:
        for part in rows.parts(ALLOCATIONS_PER_TRANSACTION):
            async with ctx.db.transaction() as tx:
                if await rounds.get_round(tx, round_.id) != round_:
                    return False
                began = time.perf_counter()  # BEGIN IMMEDIATE went with that first read
                if await last_change(tx) != prepared.last_change:
                    return False
                await allocate(tx, staged, part)
            held.append(time.perf_counter() - began)
    finally:
        await unstage_outcome(ctx.db, staged)
    log.debug(
        "round %s: allocations written ahead in %s transactions, the longest held the write "
        "lock %.3f s", round_.id, len(held), max(held, default=0.0),
    )  # fmt: skip
    return True


def _per_read(round_: Round, rows: CommitmentRows | None) -> int:
    """How many products' commitments `_prepare` reads and settles together: about
    `COMMITMENTS_PER_READ` commitments' worth, judged from where they lie in the table (the
    range holds few others), and never fewer than `PRODUCTS_PER_READ` products. A province's
    round is read 30 products at a time; a round of 1,000 coops at once, not in ten reads
    of 3,000 commitments, each a trip to SQLite's thread and one to a worker thread."""
    if rows is None:
        return PRODUCTS_PER_READ
    about = rows.last - rows.first + 1
    fits = len(round_.items) * COMMITMENTS_PER_READ // about
    return max(PRODUCTS_PER_READ, min(fits, MOST_PRODUCTS_PER_READ))


def _totals(outcome: RoundOutcome) -> dict[str, int]:
    """Units ordered per product code, as `totals_for_round` reads them (none: absent)."""
    return {p.product_code: p.total_asked for p in outcome.products if p.total_asked}


async def settled_in_groups(
    conn: Connection,
    round_: Round,
    parties: RoundParties,
    items: Sequence[RoundItem] | None = None,
    per_read: int | None = None,
    rows: CommitmentRows | None = None,
) -> RoundOutcome:
    """The outcome of `round_` (of its `items` alone when given), as `compute_outcome` gives
    it, its commitments read `per_read` products at a time (`PRODUCTS_PER_READ` without):
    never all 300,000 of a province's round at once (a product's price and allocation depend
    only on its own). Each group is settled on a worker thread, then they are put together
    (`outcome_of_groups`), so the event loop and the connection stay free between them. Each
    group is one read on `conn`: pass a snapshot where the groups must agree (a round still
    taking orders). When one read takes every product, given where the commitments lie
    (`rows`), it reads that range in the table's order instead of by product (the caller
    checks that `rows` still held, as `_close_round` does)."""
    chosen = round_.items if items is None else tuple(items)
    per_read = per_read or PRODUCTS_PER_READ
    whole = rows if items is None and per_read >= len(chosen) else None
    parts = []
    with _many_small_objects():
        for start in range(0, len(chosen), per_read):
            group = chosen[start : start + per_read]
            if whole is not None:
                commitments = await commitments_among(conn, round_.id, whole.first, whole.last)
            else:
                codes = [item.product_code for item in group]
                commitments = await commitments_of_products(conn, round_.id, codes)
            narrowed = replace(round_, items=group)
            parts.append(await asyncio.to_thread(settle_group, narrowed, commitments))
            del commitments
        coops, suppliers = parties.coops, parties.suppliers
        return await asyncio.to_thread(outcome_of_groups, round_, parts, coops, suppliers)


async def _close(
    ctx: UseCaseContext,
    tx: Transaction,
    closed: Round,
    now: datetime,
    prepared: _Prepared | None = None,
    *,
    allocated: bool = False,
) -> RoundOutcome:
    await _save(tx, closed, expected=RoundStatus.OPEN)
    await rounds.mark_closed(tx, closed.id, now, ctx.payee)
    await withdraw_reminders(tx, closed.id, ROUND_CLOSED)
    with _many_small_objects():
        parties = await current_parties(tx, closed.id)
        if (
            prepared is not None
            and prepared.parties == parties
            and prepared.last_change == await last_change(tx)
        ):
            outcome = prepared.outcome  # nothing it depends on changed since it was computed
            await store_outcome(tx, outcome, prepared.rows, allocated=allocated)
        else:
            prepared = None  # nothing made from it is used either
            outcome = await settled_in_groups(tx, closed, parties)  # as it stands now
            await store_outcome(tx, outcome)
        await keep_parties(tx, closed.id, parties)
        await store_summary(tx, outcome, prepared.sums if prepared else None)  # for reports
        readers = await close_readers(tx)
        if prepared is not None and prepared.readers == readers and prepared.closed == closed:
            summaries = prepared.summaries  # built before, for the same round and readers
        else:
            summaries = build_close_summaries(closed, outcome, readers, ctx.default_language)
        await outbox.hold(tx, summaries.bills, now)
        await queue_posts(tx, summaries.posts, now)
    return outcome


async def _write_bills(
    ctx: UseCaseContext, closed: Round, outcome: RoundOutcome, now: datetime
) -> None:
    """Write the messages of the round's held bills, `BILLS_PER_TRANSACTION` at a time, each
    batch in a short transaction of its own (built before it begins), so the bot answers in
    between. A crash leaves the rest held; `finish_closes` writes them."""
    payees = None
    if await rounds.payee_of(ctx.db, closed.id) is Payee.SUPPLIER:
        parties = await parties_for(ctx.db, closed.id)
        payees = {supplier.code: supplier for supplier in parties.suppliers}
    prefix = bills_key_prefix(closed.id)
    while held := await outbox.held_messages(ctx.db, prefix, BILLS_PER_TRANSACTION):
        written = await asyncio.to_thread(_written_bills, closed, outcome, held, payees)
        async with ctx.db.transaction() as tx:
            await outbox.release(tx, written.released, now)
            await outbox.enqueue_encoded(tx, written.parts, now)
        unwritten = {message.id for message in held} - {id_ for id_, _ in written.released}
        for message_id in unwritten:  # no bill of that coop: never sendable
            await outbox.mark_failed(ctx.db, message_id, "no bill in the round's outcome")


def _written_bills(
    closed: Round,
    outcome: RoundOutcome,
    held: list[outbox.OutboxMessage],
    payees: dict[str, Supplier] | None,
) -> WrittenBills:
    """`write_bills` (on a worker thread: 250 bills' JSON of 30 lines is ~15 ms of CPU)."""
    with _many_small_objects():
        return write_bills(closed, outcome, held, payees)


async def finish_closes(ctx: UseCaseContext) -> int:
    """Write the bills a close left held (the process stopped before it wrote them all, or
    writing them failed); how many rounds had some written. Each round is tried once per
    call, oldest held row first: a round whose bills fail again (logged) never holds up the
    next round's. Its outcome is recomputed as the close computed it (`settled_in_groups`:
    off the event loop; a closed round's commitments no longer change). Safe to run at any
    time and in two processes at once."""
    finished = 0
    tried: list[str] = []
    while held := await outbox.held_messages(ctx.db, "summary:", 1, skip=tried):
        round_id = int(held[0].dedupe_key.split(":")[1])
        tried.append(f"summary:{round_id}:")
        try:
            async with ctx.db.read() as snap:
                round_ = await require_round(snap, round_id)
                parties = await parties_for(snap, round_id)
            outcome = await settled_in_groups(ctx.db, round_, parties)
            await _write_bills(ctx, round_, outcome, ctx.now())
        except Exception:
            log.exception(
                "writing the held bills of round %s failed; the next sweep retries", round_id
            )
            continue
        finished += 1
    return finished


@contextmanager
def _many_small_objects() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a close builds a few objects per
    commitment. They hold no reference cycles, but each collection rescans all of them, so
    with it on the close grows faster than the round (13× for 10× the coops, 8× without).
    `close_round` pauses it from start to end: between its steps the young objects it made
    would be rescanned too (a province's: ~0.45 s of collections, one of them a full one
    that could fall inside its transaction); once it returns, most of them are freed
    (reference counts) before any collection looks at them. Nested pauses leave it to the
    outermost."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


async def round_outcome(conn: Connection, round_id: int) -> RoundOutcome:
    """The outcome of a round, recomputed from its snapshot and commitments (deterministic).

    A closed round uses the coops and suppliers kept at its close (`storage.round_parties`),
    so importing or renaming coops later changes neither its coops invited nor its names; a
    round closed before migration 0005 kept none and uses the current ones. Its bills and
    purchase orders are as they stand now: after a supplier's shortage or a coop's receipt
    (`purchasing.as_it_stands`). For an open
    round this is the outcome if it closed now (an estimate, with the current ones).
    """
    async with conn.snapshot() as snap:
        round_ = await require_round(snap, round_id)
        parties = await parties_for(snap, round_id)
        commitments = await commitments_for_round(snap, round_id)
        closed = round_.status is RoundStatus.CLOSED
        changed = await supply.changed_allocations(snap, round_id) if closed else {}
    outcome = compute_outcome(round_, commitments, parties.coops, parties.suppliers)
    return as_it_stands(outcome, changed)
