"""Numbers, money, local times and durations as people read them, per language (via Babel).

These are the Jinja2 filters of every template (see `messages.render`), and plain functions
for code that must format a value outside a template (spreadsheet exports, logs). Unit words
("hari", "days") come from Babel's locale data, not from our own sentences.

Amounts and quantities group digits with dots ("Rp 1.250.000") in every language: the people
are in Indonesia, and the order parser reads "1.000" as one thousand, so an English reply
must not show "1,000". Dates and durations follow the language.

Times are shown in the office's zone (the config's `timezone`, handed to `messages.render.
Renderer`), followed by the name people in Indonesia give it: WIB, WITA or WIT (`zone_name`;
elsewhere the UTC offset, "UTC+09.30"). The filters keep their historical names `wib` and
`wib_date`: they mean "local time", whatever the zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.units import format_unit

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
JAKARTA = ZoneInfo("Asia/Jakarta")
# Indonesia's three zones by the names people use (Asia/Pontianak is WIB too).
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

_DATE_PATTERNS = {"id": "EEEE, d MMM y", "en": "EEE, d MMM y"}
_TIME_PATTERNS = {"id": "HH.mm", "en": "HH:mm"}


def resolve_language(code: str | None) -> str:
    """Our language for a chat client's language code ("en-GB" → "en"); unknown → "id"."""
    if not code:
        return DEFAULT_LANGUAGE
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def number(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """`1250000` → "1.250.000" in every language (`lang` is accepted like the other filters)."""
    return f"{_whole(value):,}".replace(",", ".")


@cache
def _locale(language: str) -> Locale:
    """Babel's data for one of our languages, parsed once (not on every formatted value)."""
    return Locale.parse(language)


def rupiah(amount: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """`1250000` → "Rp 1.250.000"; `-5000` → "-Rp 5.000", in every language."""
    whole = _whole(amount)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {number(abs(whole), lang)}"


def rupiah_cents(cents: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """An amount counted in hundredths of a Rupiah, as a bank statement writes it:
    `123456` → "Rp 1.234,56"; a whole amount as `rupiah` writes it, `125000000` → "Rp
    1.250.000"; a comma before the cents in every language, like the dots between thousands."""
    whole, part = divmod(abs(_whole(cents)), 100)
    shown = rupiah(whole, lang) + (f",{part:02d}" if part else "")
    return f"-{shown}" if cents < 0 else shown


def zone_name(zone: tzinfo, at: datetime | None = None) -> str:
    """What people call `zone`: "WIB", "WITA", "WIT"; any other zone by its offset from UTC
    at the moment `at` (default: now), "UTC+8", "UTC+09.30", "UTC-5"."""
    key = getattr(zone, "key", None)
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    offset = (at or datetime.now(zone)).astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" if not rest else f"UTC{sign}{hours:02d}.{rest:02d}"


def wib(moment: datetime, lang: str = DEFAULT_LANGUAGE, zone: tzinfo = JAKARTA) -> str:
    """An aware datetime in the office's `zone` with its name: "Sabtu, 28 Nov 2026 10.00 WIB"."""
    language = resolve_language(lang)
    local = _in_zone(moment, zone)
    date_text = format_datetime(local, _DATE_PATTERNS[language], locale=_locale(language))
    time_text = format_datetime(local, _TIME_PATTERNS[language], locale=_locale(language))
    return f"{date_text} {time_text} {zone_name(zone, moment)}"


def clock_time(moment: datetime, lang: str = DEFAULT_LANGUAGE, zone: tzinfo = JAKARTA) -> str:
    """Only the time of day in `zone`, with the zone's name: "17.00 WITA" ("17:00 WITA" in
    English). It already names the zone: a template must not add `{{ zone_name }}` after it."""
    language = resolve_language(lang)
    local = _in_zone(moment, zone)
    time_text = format_datetime(local, _TIME_PATTERNS[language], locale=_locale(language))
    return f"{time_text} {zone_name(zone, moment)}"


def wib_date(moment: datetime, lang: str = DEFAULT_LANGUAGE, zone: tzinfo = JAKARTA) -> str:
    """The calendar day in the office's `zone` of an aware datetime: "Sabtu, 28 Nov 2026"."""
    language = resolve_language(lang)
    local = _in_zone(moment, zone)
    return format_datetime(local, _DATE_PATTERNS[language], locale=_locale(language))


def calendar_day(day: date | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A calendar day with no time (a delivery day, a payment's date), as `wib_date` writes
    one: "Selasa, 8 Des 2026". Also from its ISO text, as queued replies carry it."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return format_date(
        day, _DATE_PATTERNS[resolve_language(lang)], locale=_locale(resolve_language(lang))
    )


def month_year(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """The month of a calendar day: "Desember 2026", "December 2026"."""
    return format_date(day, "LLLL y", locale=_locale(resolve_language(lang)))


def duration(span: timedelta, lang: str = DEFAULT_LANGUAGE) -> str:
    """Time left as "2 hari 3 jam", "5 jam 10 menit", "15 menit": two largest units, no seconds."""
    if span < timedelta(0):
        raise ValueError(f"negative duration: {span}")
    language = resolve_language(lang)
    minutes_total = int(span.total_seconds()) // 60
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [(days, "duration-day"), (hours, "duration-hour")]
    elif hours:
        parts = [(hours, "duration-hour"), (minutes, "duration-minute")]
    else:
        parts = [(minutes, "duration-minute")]
    shown = [part for part in parts if part[0]] or parts
    return " ".join(
        format_unit(count, unit, length="long", locale=_locale(language)) for count, unit in shown
    )


def _whole(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _in_zone(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: times must be timezone-aware")
    return moment.astimezone(zone)
