"""A deadline as staff say it in Indonesian: "Jumat 17.00", "besok jam 5 sore",
"17 Desember 12.00", "lusa jam 10 pagi", "senin depan 09.00"; the typed forms
"2026-12-05 17:00" and "05-12-2026 17.00" too. A day alone, as a supplier names its delivery
day ("Rabu", "9 Des", "9/12", "besok"), is `parse_spoken_day`.

`parse_spoken_time(text, now, zone)` reads the text as wall-clock time in `zone` (the
configured time zone; "WIB", "WITA" or "WIT" typed in the text wins) and returns UTC. It
never guesses between two readings: a word it does not know, two days, or a weekday that does
not fall on the date typed make the whole text unreadable (`TimeInvalid`); a day without a
time is `DateWithoutTime`, a time without a day `TimeWithoutDate`. Whether the moment is
still ahead is the caller's question (a deadline must be; see `purchasing.rounds.check_plan`).

How the words are read, `today` being `now`'s day in the zone:
- "hari ini" / "besok" / "lusa": today, +1, +2 days.
- a weekday ("Jumat", "jum'at", "Minggu"/"Ahad"): the next such day from today on; today
  itself only while that time today is still ahead.
- a weekday with "depan" ("senin depan"): that day in next calendar week (weeks start
  on Monday), so on Tuesday 1 December "senin depan" is 7 December and "jumat depan" 11.
  "minggu depan" is refused: people say it for "next week" as much as for "next Sunday"
  ("ahad depan" is clear).
- "9/12" or "9-12" (day, then month; no year): this year, or next year for a month already
  behind us, as for "17 Desember" below.
- "17 Desember" (month names and three-letter abbreviations, Indonesian or English) with
  an optional year; without one: this year, or next year for a month already behind us
  ("5 Januari" typed in December). A day earlier this month stays in this year (and is past).
- the time: "17.00", "17:00", "jam 17", "jam 5 sore", "pukul 10.30 pagi", "5 sore".
  pagi keeps the hour (12 pagi is 00); siang is 11–14 ("jam 1 siang" is 13.00); sore adds
  12 to 1–11; malam adds 12 to 5–11 ("jam 12 malam" is 00.00 of the next day). Without
  one of those words the hour is on the 24-hour clock ("besok jam 5" is 05.00): the summary
  the admin confirms shows the time in full.

`parse_spoken_day(text, today)` reads the same day words with no time of day ("Rabu" on a
Wednesday is today: the day is not over); a time typed too, or anything it does not read, is
`DayInvalid`.

Pure: no I/O; `purchasing.times` keeps the strict typed form and the `Clock`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from purchasing.times import DateWithoutTime, DayInvalid, TimeInvalid, TimeWithoutDate

ZONE_NAMES: dict[str, tzinfo] = {
    "wib": ZoneInfo("Asia/Jakarta"),
    "wita": ZoneInfo("Asia/Makassar"),
    "wit": ZoneInfo("Asia/Jayapura"),
}
WEEKDAYS = {
    "senin": 0, "monday": 0,
    "selasa": 1, "tuesday": 1,
    "rabu": 2, "wednesday": 2,
    "kamis": 3, "thursday": 3,
    "jumat": 4, "friday": 4,
    "sabtu": 5, "saturday": 5,
    "minggu": 6, "ahad": 6, "sunday": 6,
}  # fmt: skip
MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
NEAR_DAYS = {"hari ini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}
# Words that add nothing: "tanggal 17 Desember", "hari Jumat", "pada jam 5", "nanti sore".
_FILLERS = frozenset({"tanggal", "tgl", "hari", "pada", "nanti", "on", "at"})

_HOUR = r"(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?"
_ZONE = re.compile(r"\b(?P<zone>wita|wib|wit)\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DMY = re.compile(r"\b(?P<day>\d{1,2})[-/](?P<month>\d{1,2})[-/](?P<year>\d{4})\b")
_DM = re.compile(r"\b(?P<day>\d{1,2})[-/](?P<month>\d{1,2})\b")
_NAMED_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b"
    r"(?:\s+(?P<year>\d{4})\b)?"
)
_PART_OF_DAY = re.compile(
    rf"(?:\b(?:jam|pukul|pkl)\s*)?\b{_HOUR}\s*(?P<part>pagi|siang|sore|malam)\b"
)
_CLOCK_WORD = re.compile(rf"\b(?:jam|pukul|pkl)\s*{_HOUR}\b")
_CLOCK = re.compile(r"\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\b")
_NEAR = re.compile(rf"\b(?P<near>{'|'.join(NEAR_DAYS)})\b")
_WEEKDAY = re.compile(rf"\b(?P<weekday>{'|'.join(WEEKDAYS)})\b(?P<next>\s+depan)?")


def parse_spoken_time(text: str, now: datetime, zone: tzinfo) -> datetime:
    """`text` as a moment in `zone` (or the zone named in it), in UTC. See the module doc."""
    rest = _words(text)
    found_zone, rest = _take(_ZONE, rest, text)
    if found_zone is not None:
        zone = ZONE_NAMES[found_zone["zone"]]
    today = now.astimezone(zone).date()
    dates, clock, weekday = _read(rest, today, text)
    if weekday is not None:
        dates = [_weekday(weekday, dates, today, clock, now, zone, text)]
    if not dates and clock is None:
        raise TimeInvalid(text=text)
    if not dates:
        raise TimeWithoutDate(text=text)
    if clock is None:
        raise DateWithoutTime(text=text)
    day_shift, at = clock
    local = datetime.combine(dates[0] + timedelta(days=day_shift), at, tzinfo=zone)
    return local.astimezone(UTC)


def parse_spoken_day(text: str, today: date) -> date:
    """`text` as a calendar day, `today` being the day it is in the office's zone: the day
    words of `parse_spoken_time` without a time of day (DayInvalid otherwise)."""
    try:
        dates, clock, weekday = _read(_words(text), today, text)
        if weekday is not None:
            dates = [_weekday(weekday, dates, today, None, None, None, text)]
    except TimeInvalid:
        raise DayInvalid(text=text) from None
    if clock is not None or len(dates) != 1:
        raise DayInvalid(text=text)
    return dates[0]


def _words(text: str) -> str:
    """`text` in lower case, commas and apostrophes gone, one space around each word."""
    return " " + " ".join(text.lower().replace(",", " ").replace("'", "").split()) + " "


def _read(
    rest: str, today: date, text: str
) -> tuple[list[date], tuple[int, time] | None, re.Match[str] | None]:
    """The days typed (at most one, besides a weekday), the time of day and the weekday;
    a word left over that adds nothing makes `text` unreadable."""
    dates: list[date] = []
    for pattern in (_ISO, _DMY):
        match, rest = _take(pattern, rest, text)
        if match is not None:
            dates.append(_day(int(match["year"]), int(match["month"]), int(match["day"]), text))
    day_month, rest = _take(_DM, rest, text)
    if day_month is not None:
        month = int(day_month["month"])
        dates.append(_day(_year_of(month, today), month, int(day_month["day"]), text))
    clock, rest = _clock(rest, text)
    named, rest = _take(_NAMED_MONTH, rest, text)
    if named is not None:
        dates.append(_named_day(named, today, text))
    near, rest = _take(_NEAR, rest, text)
    if near is not None:
        dates.append(today + timedelta(days=NEAR_DAYS[near["near"]]))
    weekday, rest = _take(_WEEKDAY, rest, text)
    if set(rest.split()) - _FILLERS or len(dates) > 1:
        raise TimeInvalid(text=text)
    return dates, clock, weekday


def _take(pattern: re.Pattern[str], rest: str, text: str) -> tuple[re.Match[str] | None, str]:
    """The first match of `pattern` in `rest`, and `rest` without it; a second match of the
    same kind makes `text` unreadable."""
    match = pattern.search(rest)
    if match is None:
        return None, rest
    rest = rest[: match.start()] + " " + rest[match.end() :]
    if pattern.search(rest):
        raise TimeInvalid(text=text)
    return match, rest


def _clock(rest: str, text: str) -> tuple[tuple[int, time] | None, str]:
    """The time of day (with 1 for "jam 12 malam", which is the next day's 00.00)."""
    for pattern in (_PART_OF_DAY, _CLOCK_WORD, _CLOCK):
        match, rest = _take(pattern, rest, text)
        if match is not None:
            hour, minute = int(match["hour"]), int(match["minute"] or 0)
            part = match.groupdict().get("part")
            if part == "pagi" and hour > 12:
                raise TimeInvalid(text=text)
            hour, day_shift = _in_part_of_day(hour, part)
            if hour > 23 or minute > 59 or _CLOCK.search(rest) or _CLOCK_WORD.search(rest):
                raise TimeInvalid(text=text)
            return (day_shift, time(hour, minute)), rest
    return None, rest


def _in_part_of_day(hour: int, part: str | None) -> tuple[int, int]:
    """(hour on a 24-hour clock, days after the day named); "17.00 sore" stays 17."""
    if hour > 12:
        return hour, 0
    match part:
        case "pagi":
            return hour % 12, 0
        case "siang":
            return (hour if hour >= 11 else hour + 12), 0
        case "sore":
            return (hour if hour == 12 else hour + 12), 0
        case "malam" if hour == 12:
            return 0, 1
        case "malam":
            return (hour + 12 if hour >= 5 else hour), 0
    return hour, 0


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeInvalid(text=text) from None


def _named_day(match: re.Match[str], today: date, text: str) -> date:
    month = MONTHS[match["month"]]
    year = int(match["year"]) if match["year"] is not None else _year_of(month, today)
    return _day(year, month, int(match["day"]), text)


def _year_of(month: int, today: date) -> int:
    """The year of a day typed without one: this year, or next year for a month behind us."""
    return today.year + 1 if month < today.month else today.year


def _weekday(
    match: re.Match[str],
    dates: list[date],
    today: date,
    clock: tuple[int, time] | None,
    now: datetime | None,
    zone: tzinfo | None,
    text: str,
) -> date:
    """The day a weekday names; with a date typed too ("Jumat, 11 Desember") the two must
    agree. Without a clock (or `now`) a weekday that is today's is today."""
    wanted = WEEKDAYS[match["weekday"]]
    if match["weekday"] == "minggu" and match["next"]:
        raise TimeInvalid(text=text)  # "minggu depan" is "next week" as often as "next Sunday"
    if dates:
        if dates[0].weekday() != wanted or match["next"]:
            raise TimeInvalid(text=text)
        return dates[0]
    if match["next"]:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=wanted)
    day = today + timedelta(days=(wanted - today.weekday()) % 7)
    if day == today and clock is not None and now is not None:
        day_shift, at = clock
        if datetime.combine(day + timedelta(days=day_shift), at, tzinfo=zone) <= now:
            day += timedelta(days=7)
    return day
