"""Time in the domain: the `Clock` every layer is handed, and reading a deadline typed by
staff as wall-clock time in the office's zone (chat or command line).

Staff type "2026-12-05 17:00" or "05-12-2026 17.00"; the code and the database keep
timezone-aware UTC datetimes. The zone is the config's `timezone` (`WIB`, Asia/Jakarta,
unless the office is elsewhere): `bot/` hands it down (`UseCaseContext.timezone`) and every
function here that reads or names a local time takes it as an argument. Pure: no I/O, so
both `handlers/` and `bot/` may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from purchasing.errors import PurchasingError

WIB = ZoneInfo("Asia/Jakarta")
"""The default zone (the config's `timezone` when it names none)."""

Clock = Callable[[], datetime]
"""The one clock type: returns the current time, timezone-aware (tests and the demo pass
their own)."""

_CLOCK = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
_ISO_DATE = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
_DMY_DATE = r"(?P<day>\d{1,2})[-/](?P<month>\d{1,2})[-/](?P<year>\d{4})"
_WITH_DATE = [re.compile(rf"{date}[ T]+{_CLOCK}") for date in (_ISO_DATE, _DMY_DATE)]
_DATE_ONLY = [re.compile(date) for date in (_ISO_DATE, _DMY_DATE)]
_CLOCK_ONLY = re.compile(_CLOCK)


class TimeInvalid(PurchasingError):
    """Not a date and time we understand. Params: text (str)."""

    key = "time_invalid"


class TimeWithoutDate(TimeInvalid):
    """A clock time without a date. Params: text (str)."""

    key = "time_without_date"


class DateWithoutTime(TimeInvalid):
    """A date without a clock time. Params: text (str)."""

    key = "date_without_time"


def parse_wib(text: str, zone: tzinfo = WIB) -> datetime:
    """`text` as wall-clock time in `zone` (the office's), returned in UTC.

    Accepts "YYYY-MM-DD HH:MM" and "DD-MM-YYYY HH:MM" ("/" for "-" and "." for ":" too).
    """
    cleaned = " ".join(text.split())
    for pattern in _WITH_DATE:
        match = pattern.fullmatch(cleaned)
        if match:
            return _to_utc(match, text, zone)
    if _CLOCK_ONLY.fullmatch(cleaned):
        raise TimeWithoutDate(text=text)
    if any(pattern.fullmatch(cleaned) for pattern in _DATE_ONLY):
        raise DateWithoutTime(text=text)
    raise TimeInvalid(text=text)


def _to_utc(match: re.Match[str], text: str, zone: tzinfo) -> datetime:
    parts = {name: int(value) for name, value in match.groupdict().items()}
    try:
        local = datetime(
            parts["year"], parts["month"], parts["day"], parts["hour"], parts["minute"], tzinfo=zone
        )
    except ValueError:
        raise TimeInvalid(text=text) from None
    return local.astimezone(UTC)


class DayInvalid(TimeInvalid):
    """Not a calendar day we understand (`purchasing.spoken_times.parse_spoken_day`).
    Params: text (str)."""

    key = "day_invalid"


class DayPassed(PurchasingError):
    """A delivery day before today. Params: day (date), today (date)."""

    key = "day_passed"


def check_not_past(day: date, today: date) -> None:
    """A day something is still to happen on is today or later (DayPassed before)."""
    if day < today:
        raise DayPassed(day=day, today=today)


def wib_today(now: datetime, zone: tzinfo = WIB) -> date:
    """The calendar day it is in `zone` (the office's) at the moment `now`."""
    return now.astimezone(zone).date()
