"""When a deadline reminder is due: offsets before the deadline, moved out of quiet hours.

The rule (docs/schedule.md): the reminder for offset `o` is due at `closes_at - o`; when that
moment falls in the quiet period (default 21:00–06:00 WIB) it moves to the end of that quiet
period. It is skipped when its nominal moment is before the round opened, when the moved
moment is at or after the deadline, or when that moment is at or before the round's last
extension (`Round.extended_at`): the extension notice has just told everyone the new
deadline, so after "extended by one hour" nobody gets a second "2 hours left" at once, and
after a 12-hour MOQ extension no "24 hours left". When several reminders are due at once
(the bot was down), only the one due last is sent: the others are out of date. And none is
sent while it is quiet now, whenever it was due: a reminder the bot missed while it was
down waits for the end of the quiet period (and is dropped if the round no longer takes
orders then), as the unpaid-bill reminders and the daily chart do.

Pure: the bot builds a `ReminderPolicy` from its config and hands it to the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from purchasing.model import Round
from purchasing.times import WIB


@dataclass(frozen=True, slots=True)
class QuietPeriod:
    """Local wall-clock times between which no reminder is sent; the span may pass midnight
    (start == end: never quiet)."""

    start: time = time(21, 0)
    end: time = time(6, 0)
    zone: tzinfo = WIB

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def end_after(self, moment: datetime) -> datetime:
        """The first moment after `moment` at which the quiet period ends (UTC)."""
        local = moment.astimezone(self.zone)
        end = datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=self.zone)
        return end.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))
    quiet: QuietPeriod = field(default_factory=QuietPeriod)


def offset_minutes(offset: timedelta) -> int:
    return int(offset.total_seconds()) // 60


def reminder_due_at(round_: Round, offset: timedelta, quiet: QuietPeriod) -> datetime | None:
    """When the reminder `offset` before the deadline is due, or None when it is skipped."""
    nominal = round_.closes_at - offset
    if nominal < round_.opens_at:
        return None
    due = quiet.end_after(nominal) if quiet.contains(nominal) else nominal
    if round_.extended_at is not None and due <= round_.extended_at:
        return None  # planned before the extension, whose notice named the new deadline
    return due if due < round_.closes_at else None


def reminder_plan(round_: Round, policy: ReminderPolicy) -> list[tuple[timedelta, datetime]]:
    """Every reminder of the round that is not skipped, as (offset, due at), earliest first;
    equal moments keep only the smallest offset."""
    by_moment: dict[datetime, timedelta] = {}
    for offset in sorted(set(policy.offsets)):
        due = reminder_due_at(round_, offset, policy.quiet)
        if due is not None and due not in by_moment:
            by_moment[due] = offset
    return sorted(((offset, due) for due, offset in by_moment.items()), key=lambda pair: pair[1])


def due_reminder(round_: Round, now: datetime, policy: ReminderPolicy) -> timedelta | None:
    """The offset whose reminder should go out at `now`: the one due last among those due,
    while the round still takes orders and outside quiet hours; None when none is due."""
    if now >= round_.orders_ended_at:  # its deadline passed, or staff are closing it
        return None
    if policy.quiet.contains(now):  # due before, but the bot was down or the deadline moved
        return None
    due = [offset for offset, moment in reminder_plan(round_, policy) if moment <= now]
    return due[-1] if due else None
