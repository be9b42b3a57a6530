"""Setting a coop's quantities: the one way every entry point orders.

Quantity buttons (+1/+5/+10, remove), a typed number, a pasted list, `/pesan`, `/ulang`,
staff's `/pesankan` and the command line's `order`, on every transport, all call
`set_quantities`. In ONE transaction it reads where the order stands, asks the domain about
each line (`purchasing.membership.check_coop_current` for the whole order,
`purchasing.rounds.check_commitment` per line: a refused line changes nothing and says why),
writes the changes with their audit rows, and queues the group's progress post for each
product a change took to its MOQ or a new price tier (`purchasing.progress.crossed_milestone`),
so the post exists if and only if the order does. The usual order from a chat (a round this
process has read at its version, nothing to post, no code the catalog must name) takes ONE
brief trip for all of it, the commit included (`_order_in_one_trip`; on the loop's own
thread, see `storage.database`): each statement in it reads a few rows by their keys,
however big the round (the round's totals are kept in `units_ordered`, migration 0024). Only
a coop's share of a product ordered over its supply cap counts every coop's line: when more
than `storage.commitment_reads.BRIEF_SHARE_LINES` of them count, the coop's lines are read
on SQLite's thread afterwards, before the commit.

A sheet of orders (`usecases.order_sheet`) writes several coops in one transaction: it calls
the same steps, `apply_quantities` per coop and `queue_progress` once, inside its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from purchasing.errors import ProductNotInRound, PurchasingError, UnknownProduct
from purchasing.estimate import CoopLine
from purchasing.membership import check_coop_current
from purchasing.model import CommitmentChange, Round
from purchasing.progress import crossed_milestone
from purchasing.rounds import check_commitment, quantity_after
from storage import commitments
from storage.catalog.reads import list_products
from storage.commitment_reads import (
    OrderedProduct,
    coop_lines,
    coop_lines_briefly,
    ordered_with_totals,
)
from storage.commitments import Audit, OrderState
from storage.database import Transaction
from storage.errors import UnknownRound
from storage.round_cache import load_remembered, remembered
from usecases.context import UseCaseContext
from usecases.notices.announcements import Milestone, progress_posts
from usecases.notices.audience import group_recipients
from usecases.notices.posts import queue_posts

LineResult = CommitmentChange | PurchasingError


@dataclass(frozen=True, slots=True)
class QuantitiesSet:
    """What `set_quantities` did with each (product, quantity), in order: the change, or the
    error that refused that line; and, when asked for, the coop's ordered products with
    their round totals right after (as `storage.commitment_reads.ordered_with_totals`), and
    what its estimate depends on (as `storage.commitment_reads.coop_lines`)."""

    results: list[LineResult]
    ordered: list[OrderedProduct]
    lines: list[CoopLine] = field(default_factory=list)

    @property
    def changes(self) -> list[CommitmentChange]:
        return [result for result in self.results if isinstance(result, CommitmentChange)]


async def set_quantities(
    ctx: UseCaseContext,
    round_id: int,
    coop_code: str,
    quantities: Sequence[tuple[str, int]],
    audit: Audit,
    *,
    relative: bool = False,
    with_ordered: bool = False,
    with_lines: bool = False,
) -> QuantitiesSet:
    """Set the coop's quantity of each product (0 removes it), or with `relative` add each
    quantity (which may be negative) to what the coop has, so two quick "+5" taps both count.
    `with_lines`: also read, in the same transaction, what the coop's estimate needs (the
    reply after an order shows it; one more statement, no second transaction).

    Raises UnknownRound, UnknownCoop or CoopRetired for the whole order, and then changes
    nothing; a line the round refuses (closed, past its deadline, not in the round, over
    the coop maximum, an impossible quantity) is returned as its error.
    """
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        state = None
        if with_lines and not with_ordered:
            trip = await _order_in_one_trip(
                tx, round_id, coop_code, quantities, audit, now, relative
            )
            if trip.written:
                lines = trip.lines
                if lines is None:  # shares over a supply cap among many coops
                    lines = await coop_lines(tx, round_id, coop_code)
                return QuantitiesSet(trip.results, [], lines)
            state = trip.state
        applied = await apply_quantities(
            tx, round_id, coop_code, quantities, audit, now,
            relative=relative, with_lines=with_lines, state=state,
        )  # fmt: skip
        await queue_progress(ctx, tx, round_id, applied.reached, now)
        ordered = await ordered_with_totals(tx, round_id, coop_code) if with_ordered else []
    return QuantitiesSet(applied.results, ordered, applied.lines or [])


@dataclass(frozen=True, slots=True)
class Applied:
    """What `apply_quantities` wrote: each line's change or refusal, the milestones the
    changes reached (for `queue_progress`) and, when asked for, the coop's lines after them
    (as `storage.commitment_reads.coop_lines`)."""

    results: list[LineResult]
    reached: list[Milestone]
    lines: list[CoopLine] | None = None


async def apply_quantities(
    tx: Transaction,
    round_id: int,
    coop_code: str,
    quantities: Sequence[tuple[str, int]],
    audit: Audit,
    now: datetime,
    *,
    relative: bool = False,
    totals: dict[str, int] | None = None,
    with_lines: bool = False,
    state: OrderState | None = None,
) -> Applied:
    """The heart of `set_quantities` inside the caller's transaction, so several coops'
    orders can be written together (`usecases.order_sheet`): judge each line, write the
    changes with their audit rows (`with_lines`: and read the coop's lines after them, in
    the same trip). Raises as `set_quantities` does. A caller writing many coops passes the
    round's `totals` (units per product), read once and kept up to date here, so each coop
    reads only its own rows. `state`: the order's state this transaction already read."""
    codes = [code for code, _ in quantities]
    if state is None and totals is None:
        state = await commitments.order_state(tx, round_id, coop_code, codes)
    elif state is None:
        state = await commitments.coop_order_state(tx, round_id, coop_code, codes, totals or {})
    round_ = await _round_at(tx, round_id, state.round_version)
    check_coop_current(coop_code, exists=state.coop_exists, retired=state.coop_retired)
    standing = dict(state.standing)
    results = [_judge(round_, standing, code, qty, relative, now) for code, qty in quantities]
    changes = [result for result in results if isinstance(result, CommitmentChange)]
    writes = [(c.item.product_code, c.old, c.new) for c in changes if c.changed]
    lines = None
    if with_lines:
        lines = await commitments.write_changes_reading_lines(
            tx, round_id, coop_code, writes, audit, now
        )
    else:
        await commitments.write_changes(tx, round_id, coop_code, writes, audit, now)
    if totals is not None:
        for code, old, new in writes:
            totals[code] = totals.get(code, 0) + new - old
    results = await _name_unknown_products(tx, results)
    reached = [Milestone(c, step) for c in changes if (step := crossed_milestone(c))]
    return Applied(results, reached, lines)


async def queue_progress(
    ctx: UseCaseContext, tx: Transaction, round_id: int, reached: list[Milestone], now: datetime
) -> None:
    """Queue the group's progress post for each milestone reached, in the same transaction
    as the orders that reached them."""
    if reached:
        readers = await group_recipients(tx, ctx.default_language)
        await queue_posts(tx, progress_posts(round_id, reached, readers), now)


async def set_quantity(
    ctx: UseCaseContext,
    round_id: int,
    coop_code: str,
    product_code: str,
    quantity: int,
    audit: Audit,
    *,
    relative: bool = False,
) -> CommitmentChange:
    """`set_quantities` for one product; its refusal is raised."""
    done = await set_quantities(
        ctx, round_id, coop_code, [(product_code, quantity)], audit, relative=relative
    )
    result = done.results[0]
    if isinstance(result, PurchasingError):
        raise result
    return result


@dataclass(frozen=True, slots=True)
class _Trip:
    """What `_order_in_one_trip` did: the order's state it read and, when it also wrote the
    order (`written`), each line's result and the coop's lines after it, the transaction
    committed; or lines None, left to read on SQLite's thread (the block's end commits)."""

    state: OrderState
    results: list[LineResult] = field(default_factory=list)
    lines: list[CoopLine] | None = None
    written: bool = False


async def _order_in_one_trip(
    tx: Transaction,
    round_id: int,
    coop_code: str,
    quantities: Sequence[tuple[str, int]],
    audit: Audit,
    now: datetime,
    relative: bool,
) -> _Trip:
    """The usual order (a round this process has read at its version, no line the catalog
    must name, no milestone to post) in ONE brief trip: read the order's state, judge each
    line, write, read the coop's lines and commit (unless shares over a supply cap count too
    many coops' lines for a brief trip). Anything else comes back with only the state read,
    and `apply_quantities` goes on from there in the same transaction."""
    known = tx.rounds_seen.get(round_id)
    codes = [code for code, _ in quantities]
    work = partial(_order_in_trip, round_id, coop_code, codes, quantities, audit, now)
    return await tx.in_one_trip_ending(partial(work, relative, known), brief=True)


def _order_in_trip(
    round_id: int,
    coop_code: str,
    codes: list[str],
    quantities: Sequence[tuple[str, int]],
    audit: Audit,
    now: datetime,
    relative: bool,
    known: tuple[int, Round] | None,
    conn: sqlite3.Connection,
) -> tuple[_Trip, bool]:
    """On the loop's thread, or SQLite's when another process holds the lock (pure work
    besides the connection: see `Connection.in_one_trip`). True: the order is written with
    the coop's lines read, and the transaction may be committed."""
    state = commitments.order_state_in(conn, round_id, coop_code, codes)
    if known is None or state.round_version != known[0]:
        return _Trip(state), False
    check_coop_current(coop_code, exists=state.coop_exists, retired=state.coop_retired)
    standing = dict(state.standing)
    results = [_judge(known[1], standing, code, qty, relative, now) for code, qty in quantities]
    changes = [result for result in results if isinstance(result, CommitmentChange)]
    if any(isinstance(r, ProductNotInRound) for r in results) or any(
        crossed_milestone(change) for change in changes
    ):
        return _Trip(state), False
    writes = [(c.item.product_code, c.old, c.new) for c in changes if c.changed]
    commitments.write_changes_in(round_id, coop_code, writes, audit, now, conn)
    lines = coop_lines_briefly(conn, round_id, coop_code)
    return _Trip(state, results, lines, written=True), lines is not None


async def _round_at(tx: Transaction, round_id: int, version: int | None) -> Round:
    """The round as this transaction sees it (remembered per version: read on every order)."""
    found = None if version is None else remembered(tx, round_id, version)
    if found is None and version is not None:
        found = await load_remembered(tx, round_id, version)
    if found is None:
        raise UnknownRound(round_id=round_id)
    return found


async def _name_unknown_products(tx: Transaction, results: list[LineResult]) -> list[LineResult]:
    """A code the round does not offer is "not in this round" when the catalog has it, and
    an unknown product when nothing has (read only when some line was refused so)."""
    if not any(isinstance(result, ProductNotInRound) for result in results):
        return results
    catalog = {product.code for product in await list_products(tx)}
    return [
        UnknownProduct(product_code=result.params["product_code"])
        if isinstance(result, ProductNotInRound) and result.params["product_code"] not in catalog
        else result
        for result in results
    ]


def _judge(
    round_: Round,
    standing: dict[str, tuple[int, int]],
    product_code: str,
    quantity: int,
    relative: bool,
    now: datetime,
) -> LineResult:
    """One line's change, or the error that refuses it; `standing` (the coop's quantity and
    the round's total per product) follows the changes judged so far."""
    mine, total = standing.get(product_code, (0, 0))
    try:
        new = quantity_after(mine, quantity, relative=relative)
        item = check_commitment(round_, product_code, new, now)
    except PurchasingError as error:
        return error
    standing[product_code] = (new, total - mine + new)
    return CommitmentChange(mine, new, item, total - mine + new)
