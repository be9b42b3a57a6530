"""Numbers, money, WIB times and durations as people read them, per language (via Babel).

These are the Jinja2 filters of every template (see `messages.render`), and plain functions
for code that must format a value outside a template (spreadsheet exports, logs). Unit words
("hari", "days") come from Babel's locale data, not from our own sentences.

Amounts and quantities group digits with dots ("Rp 1.250.000") in every language: the people
are in Indonesia, and the order parser reads "1.000" as one thousand, so an English reply
must not show "1,000". Dates and durations follow the language.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.units import format_unit

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
JAKARTA = ZoneInfo("Asia/Jakarta")

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


def wib(moment: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """An aware datetime in Jakarta time: "Sabtu, 28 Nov 2026 10.00 WIB"."""
    language = resolve_language(lang)
    local = _in_jakarta(moment)
    date_text = format_datetime(local, _DATE_PATTERNS[language], locale=_locale(language))
    time_text = format_datetime(local, _TIME_PATTERNS[language], locale=_locale(language))
    return f"{date_text} {time_text} WIB"


def wib_date(moment: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """The Jakarta calendar day of an aware datetime: "Sabtu, 28 Nov 2026"."""
    language = resolve_language(lang)
    return format_datetime(_in_jakarta(moment), _DATE_PATTERNS[language], locale=_locale(language))


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


def _in_jakarta(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: times must be timezone-aware")
    return moment.astimezone(JAKARTA)
