"""The state machine of a round (putaran), and the checks on a commitment inside it.

States and the only moves between them::

    draft ──open_round──▶ open ──close_round──▶ closed
      │                    │
      └──cancel_round──▶ cancelled ◀──cancel_round──┘

- `open_round` (draft → open): takes the price snapshot of every item from the catalog and
  records the real opening time. Later catalog edits do not change an open round.
- `close_round` (open → closed): only at or after `closes_at`, unless `force=True` (an admin
  closing early) or staff started closing it (`stop_orders`); records the real closing time
  (`closed_at`), which texts show.
- `stop_orders` keeps an open round open but closing: staff confirmed closing it early, and
  it takes no order while its outcome is worked out (`RoundClosing`).
- `cancel_round` (draft → cancelled, open → cancelled).
- `closed` and `cancelled` are final: any move out of them raises InvalidTransition.
- `extend_round` keeps an open round open with a later deadline, and records when
  (`extended_at`).
- `check_plan`: a round is created only with a deadline after now and after its opening,
  and with its MOQ extension in bounds (1 to MAX_EXTEND_HOURS hours with EXTEND, none with
  DROP: `check_extension`);
  `check_none_open`: only one round is open at a time (a second one waits, or is refused);
  `check_draft_can_open`: so a draft is created only with a deadline after the open round's.

Only an open round before its deadline, and not closing, accepts commitments
(`accepts_changes`); the deadline is judged by the `now` the caller passes (the server
clock), never by when a message arrived.
Every function returns a new Round; nothing is mutated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from purchasing.errors import (
    AnotherRoundOpen,
    ClosingNotCancelled,
    ClosingNotExtended,
    DeadlineBeforeOpening,
    DeadlineNotLater,
    DeadlineNotReached,
    DeadlinePassed,
    DraftNeverOpens,
    ExtendHoursInvalid,
    InvalidTiers,
    InvalidTransition,
    OpenAfterDeadline,
    OverCoopMaximum,
    ProductNotInRound,
    ProductRetired,
    QuantityInvalid,
    RoundClosing,
    RoundEmpty,
    RoundNameMissing,
    RoundNotOpen,
    UnknownProduct,
)
from purchasing.model import MoqPolicy, Product, Round, RoundItem, RoundPlan, RoundStatus
from purchasing.pricing import validate_tiers

MAX_QUANTITY = 100_000
# Staff's own close ends a round they began closing early within seconds (a minute for the
# largest; its close child is stopped after 10); one still closing after this was left so by
# a crash, a stopped child or a failed close, and the sweep closes it (sooner, it could race
# staff's close, still running, with a second one).
LEFT_CLOSING_AFTER = timedelta(minutes=15)
# The one MOQ extension a round with MoqPolicy.EXTEND gets: at least an hour, at most 30 days.
MIN_EXTEND_HOURS = 1
MAX_EXTEND_HOURS = 720

_MOVES: dict[RoundStatus, frozenset[RoundStatus]] = {
    RoundStatus.DRAFT: frozenset({RoundStatus.OPEN, RoundStatus.CANCELLED}),
    RoundStatus.OPEN: frozenset({RoundStatus.CLOSED, RoundStatus.CANCELLED}),
    RoundStatus.CLOSED: frozenset(),
    RoundStatus.CANCELLED: frozenset(),
}


def can_move(from_status: RoundStatus, to_status: RoundStatus) -> bool:
    """Whether the state machine above allows this move."""
    return to_status in _MOVES[from_status]


def _move(round_: Round, to_status: RoundStatus) -> None:
    if not can_move(round_.status, to_status):
        raise InvalidTransition(from_status=round_.status.value, to_status=to_status.value)


def check_plan(plan: RoundPlan, now: datetime) -> None:
    """Refuse a plan that could never open: OpenAfterDeadline when its deadline is not after
    `now`, DeadlineBeforeOpening when it is not after the opening time; and one whose MOQ
    extension is out of bounds (`check_extension`), or that has no name (RoundNameMissing)."""
    if not plan.name.strip():
        raise RoundNameMissing()
    if plan.closes_at <= now:
        raise OpenAfterDeadline(round_name=plan.name, closes_at=plan.closes_at)
    if plan.closes_at <= plan.opens_at:
        raise DeadlineBeforeOpening(
            round_name=plan.name, opens_at=plan.opens_at, closes_at=plan.closes_at
        )
    check_extension(plan)


def check_extension(plan: RoundPlan) -> None:
    """ExtendHoursInvalid unless the plan's extension means something: MIN_EXTEND_HOURS to
    MAX_EXTEND_HOURS hours with MoqPolicy.EXTEND, 0 with DROP (hours typed for a round that
    drops would silently never apply)."""
    if plan.moq_policy is MoqPolicy.EXTEND:
        allowed = MIN_EXTEND_HOURS <= plan.extend_hours <= MAX_EXTEND_HOURS
    else:
        allowed = plan.extend_hours == 0
    if not allowed:
        raise ExtendHoursInvalid(
            round_name=plan.name, hours=plan.extend_hours, policy=plan.moq_policy.value,
            minimum=MIN_EXTEND_HOURS, maximum=MAX_EXTEND_HOURS,
        )  # fmt: skip


def offered_products(
    codes: Sequence[str], found: Iterable[Product], retired: Collection[str]
) -> list[Product]:
    """The products a round offers, in the order of `codes`: UnknownProduct for the first
    code no product has, ProductRetired for the first one retired."""
    by_code = {product.code: product for product in found}
    for code in codes:
        if code not in by_code:
            raise UnknownProduct(product_code=code)
        if code in retired:
            raise ProductRetired(product_code=code, name=by_code[code].name)
    return [by_code[code] for code in codes]


def check_none_open(open_rounds: Iterable[Round]) -> None:
    """AnotherRoundOpen (naming the first) unless no round is open: one round at a time."""
    for open_ in open_rounds:
        raise AnotherRoundOpen(round_id=open_.id, round_name=open_.name, closes_at=open_.closes_at)


def check_draft_can_open(plan: RoundPlan, open_rounds: Iterable[Round]) -> None:
    """DraftNeverOpens when a draft's deadline is not after an open round's: a due draft
    waits for the open round to close (`check_none_open`), so it would never open. (Staff
    who close the open round early can create the draft afterwards.)"""
    for open_ in open_rounds:
        if plan.closes_at <= open_.closes_at:
            raise DraftNeverOpens(
                round_name=plan.name, closes_at=plan.closes_at, open_round_id=open_.id,
                open_round_name=open_.name, open_closes_at=open_.closes_at,
            )  # fmt: skip


def open_round(round_: Round, products: Iterable[Product], now: datetime) -> Round:
    """draft → open, with every item re-snapshotted from `products` (the current catalog).

    Raises InvalidTransition, RoundEmpty, UnknownProduct (an item code missing from
    `products`), InvalidTiers (with product_code) and OpenAfterDeadline (deadline not after
    now).
    """
    _move(round_, RoundStatus.OPEN)
    if not round_.items:
        raise RoundEmpty(round_name=round_.name)
    if round_.closes_at <= now:
        raise OpenAfterDeadline(round_name=round_.name, closes_at=round_.closes_at)
    catalog = {product.code: product for product in products}
    items = tuple(_snapshot(catalog, item.product_code) for item in round_.items)
    return replace(round_, status=RoundStatus.OPEN, opens_at=now, items=items)


def _snapshot(catalog: Mapping[str, Product], product_code: str) -> RoundItem:
    product = catalog.get(product_code)
    if product is None:
        raise UnknownProduct(product_code=product_code)
    try:
        tiers = validate_tiers(product.tiers)
    except InvalidTiers as error:
        raise error.for_product(product_code) from error
    return RoundItem.snapshot(replace(product, tiers=tiers))


def stop_orders(round_: Round, now: datetime) -> Round:
    """An open round that staff confirmed closing: it takes no order from `now` on (nor
    after its deadline, as before), and no MOQ extension. The same round when staff began
    closing it before."""
    _move(round_, RoundStatus.CLOSED)
    if round_.closing_since is not None:
        return round_
    return replace(round_, closing_since=now)


def close_underway(round_: Round, now: datetime) -> bool:
    """Whether staff's close of this round may still be running at `now` (they began closing
    it under `LEFT_CLOSING_AFTER` ago): a second close would only race it."""
    since = round_.closing_since
    return (
        round_.status is RoundStatus.OPEN and since is not None and now < since + LEFT_CLOSING_AFTER
    )


def close_round(round_: Round, now: datetime, *, force: bool = False) -> Round:
    """open → closed; before `closes_at` only with `force=True` or once staff started closing
    it (`stop_orders`), else DeadlineNotReached."""
    _move(round_, RoundStatus.CLOSED)
    if now < round_.closes_at and not force and round_.closing_since is None:
        raise DeadlineNotReached(round_name=round_.name, closes_at=round_.closes_at)
    return replace(round_, status=RoundStatus.CLOSED, closed_at=now)


def cancel_round(round_: Round, now: datetime) -> Round:
    """draft → cancelled or open → cancelled; not while staff's close of it may still run at
    `now` (ClosingNotCancelled): members were told it closes. A close left behind by a crash
    no longer stands in the way."""
    _move(round_, RoundStatus.CANCELLED)
    if close_underway(round_, now):
        assert round_.closing_since is not None
        raise ClosingNotCancelled(round_name=round_.name, closing_since=round_.closing_since)
    return replace(round_, status=RoundStatus.CANCELLED)


def extend_round(
    round_: Round, new_closes_at: datetime, now: datetime, *, for_moq: bool = False
) -> Round:
    """Move the deadline of an open round later at `now` (RoundNotOpen / DeadlineNotLater
    otherwise).

    `for_moq=True` marks the one automatic extension of `MoqPolicy.EXTEND` as used.
    """
    if round_.status is not RoundStatus.OPEN:
        raise RoundNotOpen(
            round_name=round_.name,
            status=round_.status.value,
            closes_at=round_.orders_ended_at,
        )
    if round_.closing_since is not None:
        raise ClosingNotExtended(round_name=round_.name, closing_since=round_.closing_since)
    if new_closes_at <= round_.closes_at:
        raise DeadlineNotLater(
            round_name=round_.name, closes_at=round_.closes_at, new_closes_at=new_closes_at
        )
    extended = round_.extended or for_moq
    return replace(round_, closes_at=new_closes_at, extended=extended, extended_at=now)


def moq_extension(round_: Round, totals: Mapping[str, int]) -> datetime | None:
    """The new deadline if this round should get its one MOQ extension now, else None.

    Applies when the round's `moq_policy` is EXTEND with `extend_hours` > 0, it has not been
    extended for MOQ yet, and some item with an MOQ has ordered units but fewer than the MOQ.
    A round created before `check_extension` existed may hold more hours: it gets
    MAX_EXTEND_HOURS.
    """
    if round_.moq_policy is not MoqPolicy.EXTEND or round_.extended or round_.extend_hours <= 0:
        return None
    for item in round_.items:
        total = totals.get(item.product_code, 0)
        if item.moq is not None and 0 < total < item.moq:
            return round_.closes_at + timedelta(hours=min(round_.extend_hours, MAX_EXTEND_HOURS))
    return None


def accepts_changes(round_: Round, now: datetime) -> bool:
    """Whether commitments may be set, changed or removed at `now`."""
    return round_.status is RoundStatus.OPEN and now < round_.orders_ended_at


def check_takes_orders(round_: Round, now: datetime) -> None:
    """RoundNotOpen, DeadlinePassed or RoundClosing unless the round takes orders at `now`."""
    if round_.status is not RoundStatus.OPEN:
        raise RoundNotOpen(
            round_name=round_.name,
            status=round_.status.value,
            closes_at=round_.orders_ended_at,
        )
    if now >= round_.closes_at:
        raise DeadlinePassed(round_name=round_.name, closes_at=round_.closes_at)
    if round_.closing_since is not None and now >= round_.closing_since:
        raise RoundClosing(round_name=round_.name, closing_since=round_.closing_since)


def quantity_after(old: int, quantity: int, *, relative: bool) -> int:
    """The quantity a change asks for: `quantity` itself, or with `relative` (a "+5" button)
    added to what the coop had (`check_commitment` then judges the result)."""
    return old + quantity if relative else quantity


def check_commitment(round_: Round, product_code: str, quantity: int, now: datetime) -> RoundItem:
    """The round item a coop may commit `quantity` units of, or the error that forbids it.

    Checked in this order: RoundNotOpen, DeadlinePassed, RoundClosing, ProductNotInRound,
    QuantityInvalid (negative or above MAX_QUANTITY; 0 removes a commitment), OverCoopMaximum.
    """
    check_takes_orders(round_, now)
    item = round_.item(product_code)
    if item is None:
        raise ProductNotInRound(
            product_code=product_code, round_name=round_.name, round_id=round_.id
        )
    if not 0 <= quantity <= MAX_QUANTITY:
        raise QuantityInvalid(raw=str(quantity), max_quantity=MAX_QUANTITY)
    if item.max_per_coop is not None and quantity > item.max_per_coop:
        raise OverCoopMaximum(
            product_code=item.product_code,
            name=item.name,
            unit=item.unit,
            quantity=quantity,
            maximum=item.max_per_coop,
        )
    return item
