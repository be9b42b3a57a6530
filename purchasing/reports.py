"""Reports across closed rounds, for the Dinas: the network's savings and each coop's
participation. Pure: closed rounds and their lines in, report values out.

- `savings_report`: per closed round the order value (what the coops pay at the prices
  reached, `BillLine.subtotal`), the market value (the same units at the round's reference
  market price) and the saving between them (as `Overview.savings`); then per calendar month
  of the close (in the office's zone, WIB unless the config says otherwise) and in total.
- `coop_activity`: per coop, how many of the last N closed rounds it ordered in, its first
  and last round ordered, and a `CoopStatus` (see `status_of`); `coop_report` the same from
  those counts when the database has made them (`CoopOrders`).

A round comes either with its lines (`ClosedRoundLines`) or summed up by the database from
what its close stored (`RoundSavings`, the same figures).

"Ordered in a round" means the coop had a commitment in it when it closed (as
`Overview.coops_ordered` counts, unfilled lines included).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from purchasing.model import Rep
from purchasing.times import WIB

DEFAULT_LAST_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class ClosedRoundRef:
    """A closed round as reports name it."""

    id: int
    name: str
    closed_at: datetime  # aware


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One commitment of a closed round as its close stored it."""

    coop_code: str
    allocated: int  # units bought (0 when unfilled)
    unit_price: int | None  # the price reached; None when the product was not ordered
    market_price: int  # the round's reference price of the product


@dataclass(frozen=True, slots=True)
class ClosedRoundLines:
    round: ClosedRoundRef
    coops_invited: int
    lines: tuple[ReportLine, ...]


@dataclass(frozen=True, slots=True)
class Savings:
    """Order value and market value of the same units; the saving is their difference."""

    order_value: int
    market_value: int

    @property
    def saving(self) -> int:
        return self.market_value - self.order_value

    @property
    def saving_tenths(self) -> int:
        """The saving in tenths of a percent of the market value, rounded half up
        (125 is 12,5 %); 0 when nothing was bought."""
        if self.market_value == 0:
            return 0
        return (2000 * self.saving + self.market_value) // (2 * self.market_value)

    def __add__(self, other: Savings) -> Savings:
        return Savings(self.order_value + other.order_value, self.market_value + other.market_value)


@dataclass(frozen=True, slots=True)
class RoundSavings:
    round: ClosedRoundRef
    savings: Savings
    coops_ordered: int
    coops_invited: int


@dataclass(frozen=True, slots=True)
class MonthSavings:
    year: int
    month: int  # 1..12, of the close in the office's zone
    rounds: int
    savings: Savings

    @property
    def first_day(self) -> date:
        """The month as a day (its first), for showing it ("Desember 2026")."""
        return date(self.year, self.month, 1)


@dataclass(frozen=True, slots=True)
class SavingsReport:
    rounds: tuple[RoundSavings, ...]  # oldest close first
    months: tuple[MonthSavings, ...]  # oldest first
    total: Savings


def round_savings(closed: ClosedRoundLines) -> RoundSavings:
    """One round's figures: only lines bought at a price reached count toward the values."""
    bought = [line for line in closed.lines if line.unit_price is not None]
    savings = Savings(
        order_value=sum(line.allocated * (line.unit_price or 0) for line in bought),
        market_value=sum(line.allocated * line.market_price for line in bought),
    )
    ordered = {line.coop_code for line in closed.lines}
    return RoundSavings(closed.round, savings, len(ordered), closed.coops_invited)


def savings_report(
    closed: Iterable[ClosedRoundLines | RoundSavings], zone: tzinfo = WIB
) -> SavingsReport:
    """Every closed round's savings (oldest close first), per month of the close (in `zone`,
    the office's) and in total. A round comes with its lines, or already summed up (as
    `round_savings` would sum them: the database keeps each close's sums)."""
    rounds = sorted(
        (one if isinstance(one, RoundSavings) else round_savings(one) for one in closed),
        key=lambda r: (r.round.closed_at, r.round.id),
    )
    months: dict[tuple[int, int], MonthSavings] = {}
    for one in rounds:
        local = one.round.closed_at.astimezone(zone)
        key = (local.year, local.month)
        before = months.get(key, MonthSavings(local.year, local.month, 0, Savings(0, 0)))
        months[key] = MonthSavings(
            before.year, before.month, before.rounds + 1, before.savings + one.savings
        )
    total = sum((one.savings for one in rounds), Savings(0, 0))
    return SavingsReport(tuple(rounds), tuple(months[key] for key in sorted(months)), total)


class CoopStatus(StrEnum):
    """In the order a report lists them."""

    NEW = "new"  # baru: its first order was in the latest closed round
    REGULAR = "regular"  # rutin: ordered in at least half of the last N rounds
    OCCASIONAL = "occasional"  # jarang: ordered in some of the last N, fewer than half
    LAPSED = "lapsed"  # berhenti: ordered before, but in none of the last N
    NEVER = "never"  # belum pernah: never ordered in a closed round


_STATUS_ORDER = {status: n for n, status in enumerate(CoopStatus)}


@dataclass(frozen=True, slots=True)
class CoopHistory:
    """A coop and the closed rounds it ordered in."""

    code: str
    name: str
    ordered_in: frozenset[int]  # round ids
    reps: tuple[Rep, ...] = ()
    contact: str = ""


@dataclass(frozen=True, slots=True)
class CoopActivity:
    code: str
    name: str
    recent: int  # how many of the last N closed rounds it ordered in
    first: ClosedRoundRef | None
    last: ClosedRoundRef | None
    status: CoopStatus
    reps: tuple[Rep, ...]
    contact: str


@dataclass(frozen=True, slots=True)
class CoopReport:
    last_rounds: int  # N asked for
    window: tuple[
        ClosedRoundRef, ...
    ]  # the last N closed rounds (fewer if fewer closed), newest first
    coops: tuple[CoopActivity, ...]  # by status, then code


def coop_activity(
    rounds: Iterable[ClosedRoundRef],
    coops: Iterable[CoopHistory],
    last_rounds: int = DEFAULT_LAST_ROUNDS,
) -> CoopReport:
    """Each coop's participation in the last `last_rounds` closed rounds, sorted by status
    then code. Raises ValueError when `last_rounds` is below 1."""
    if last_rounds < 1:
        raise ValueError(f"last_rounds must be at least 1, got {last_rounds}")
    by_close = sorted(rounds, key=lambda r: (r.closed_at, r.id), reverse=True)
    window = tuple(by_close[:last_rounds])
    order = {one.id: n for n, one in enumerate(by_close)}  # 0 is the latest
    activities = [_activity(coop, by_close, order, window) for coop in coops]
    activities.sort(key=lambda a: (_STATUS_ORDER[a.status], a.code))
    return CoopReport(last_rounds, window, tuple(activities))


def _activity(
    coop: CoopHistory,
    by_close: Sequence[ClosedRoundRef],
    order: dict[int, int],
    window: Sequence[ClosedRoundRef],
) -> CoopActivity:
    ordered = sorted((order[r] for r in coop.ordered_in if r in order), reverse=True)
    first = by_close[ordered[0]] if ordered else None
    last = by_close[ordered[-1]] if ordered else None
    recent = sum(1 for one in window if one.id in coop.ordered_in)
    return CoopActivity(
        code=coop.code,
        name=coop.name,
        recent=recent,
        first=first,
        last=last,
        status=status_of(recent, len(window), first_is_latest=ordered == [0], ever=bool(ordered)),
        reps=coop.reps,
        contact=coop.contact,
    )


@dataclass(frozen=True, slots=True)
class CoopOrders:
    """A coop with its orders over the closed rounds already counted (as the database counts
    them from what each close kept): in how many of the last N closed rounds it ordered, and
    its first and last closed round ordered (None when it never ordered)."""

    code: str
    name: str
    recent: int
    first: ClosedRoundRef | None
    last: ClosedRoundRef | None
    reps: tuple[Rep, ...] = ()
    contact: str = ""


def coop_report(
    rounds: Iterable[ClosedRoundRef],
    coops: Iterable[CoopOrders],
    last_rounds: int = DEFAULT_LAST_ROUNDS,
) -> CoopReport:
    """`coop_activity` of coops whose orders are already counted over the last `last_rounds`
    closed rounds (the same N). Raises ValueError when `last_rounds` is below 1."""
    if last_rounds < 1:
        raise ValueError(f"last_rounds must be at least 1, got {last_rounds}")
    by_close = sorted(rounds, key=lambda r: (r.closed_at, r.id), reverse=True)
    window = tuple(by_close[:last_rounds])
    latest = by_close[0].id if by_close else None
    activities = [
        CoopActivity(
            code=coop.code,
            name=coop.name,
            recent=coop.recent,
            first=coop.first,
            last=coop.last,
            status=status_of(
                coop.recent,
                len(window),
                first_is_latest=coop.first is not None and coop.first.id == latest,
                ever=coop.first is not None,
            ),
            reps=coop.reps,
            contact=coop.contact,
        )
        for coop in coops
    ]
    activities.sort(key=lambda a: (_STATUS_ORDER[a.status], a.code))
    return CoopReport(last_rounds, window, tuple(activities))


def status_of(recent: int, window: int, *, first_is_latest: bool, ever: bool) -> CoopStatus:
    """never ordered → NEVER; none of its orders in the window → LAPSED; its only order in
    the latest round → NEW; in at least half of the `window` rounds (2 of 4, 2 of 3) →
    REGULAR; else OCCASIONAL."""
    if not ever:
        return CoopStatus.NEVER
    if recent == 0:
        return CoopStatus.LAPSED
    if first_is_latest:
        return CoopStatus.NEW
    return CoopStatus.REGULAR if 2 * recent >= window else CoopStatus.OCCASIONAL
