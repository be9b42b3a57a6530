"""The dashboard's HTML pages: one Jinja2 environment over bot/dashboard/templates/.

Each page exists once per language (`<lang>/<page>.html`, Indonesian and English), extends
the language-neutral `base.html` (layout and the little CSS there is) and includes its
language's `<lang>/nav.html`. These are not chat templates (messages/templates/ holds those),
so they have their own environment: HTML autoescaping always on, `StrictUndefined`, and the
same number, Rupiah and date formats as the chat (`messages.formatting`) in the page's
`language`, times in the office's zone. A heading names a round as the chat does
(`{{ round.name | round_title }}`: "Putaran Januari", from messages' `round_title.j2`).

A report over 10,000 coops or 300 products × 50 rounds would make a page of megabytes, too
much for a phone: a report page shows its counts and what needs acting on, at most
`ROWS_SHOWN` rows of each list (`first_rows`, with how many more the page's downloads hold).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Generic, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from messages import formatting
from messages.formatting import resolve_language
from messages.render import Renderer
from purchasing.reports import CoopActivity, CoopReport, CoopStatus

T = TypeVar("T")

# The rows of one list a report page shows at most; the rest are in its XLSX, CSV and PDF.
ROWS_SHOWN = 50

# Formatted dates and times each server remembers (per filter; a few hundred bytes each).
FORMATS_REMEMBERED = 4096


class Pages:
    """Renders `<lang>/<page>.html`; build one per server."""

    def __init__(self, zone: tzinfo, office_name: str, rows_shown: int = ROWS_SHOWN) -> None:
        self.rows_shown = rows_shown  # of each list a report page shows
        self._environment = Environment(
            loader=PackageLoader("bot", "dashboard/templates"),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )

        # A page shows the same few moments many times (the coops report: two dates in each of
        # 10,000 rows, out of 50 rounds' closes) and Babel takes tens of µs for each: remembered
        # per server (an instant formats the same in every zone it arrives in).
        @lru_cache(maxsize=FORMATS_REMEMBERED)
        def wib(moment: datetime, language: str) -> str:
            return formatting.wib(moment, language, zone)

        @lru_cache(maxsize=FORMATS_REMEMBERED)
        def wib_date(moment: datetime, language: str) -> str:
            return formatting.wib_date(moment, language, zone)

        self._environment.filters.update(
            rupiah=_in_page_language(formatting.rupiah),
            number=_in_page_language(formatting.number),
            wib=_in_page_language(wib),
            wib_date=_in_page_language(wib_date),
            month_year=_in_page_language(_month_year),
            # Markup, escaped once by the chat's template: the page does not escape it again.
            round_title=_in_page_language(Renderer(zone=zone, office_name=office_name).round_title),
        )
        self._environment.globals.update(
            zone_name=formatting.zone_name(zone), office_name=office_name
        )

    def render(self, page: str, language: str, context: Mapping[str, object]) -> str:
        lang = resolve_language(language)
        template = self._environment.get_template(f"{lang}/{page}.html")
        return template.render({**context, "language": lang})


def _month_year(day: date, language: str) -> str:
    return formatting.month_year(day, language)


def _in_page_language(format_value: Callable[[T, str], str]) -> Callable[[Context, T], str]:
    @pass_context
    def filter_value(context: Context, value: T) -> str:
        return format_value(value, str(context["language"]))

    return filter_value


@dataclass(frozen=True, slots=True)
class Shown(Generic[T]):
    """The first rows of a list a page shows, and how many more there are."""

    rows: tuple[T, ...]
    more: int


def first_rows(rows: Iterable[T], limit: int = ROWS_SHOWN) -> Shown[T]:
    found = list(rows)
    return Shown(tuple(found[:limit]), max(0, len(found) - limit))


@dataclass(frozen=True, slots=True)
class CoopLists:
    """The coops report as its page shows it: how many coops have each status, and the
    coops an officer acts on: those that stopped ordering (the most recently stopped first:
    the easiest to win back), the new ones, those that never ordered."""

    counts: Mapping[str, int]  # every `CoopStatus` value → coops
    lapsed: Shown[CoopActivity]
    new: Shown[CoopActivity]
    never: Shown[CoopActivity]


def coop_lists(report: CoopReport, limit: int = ROWS_SHOWN) -> CoopLists:
    counts = {status.value: 0 for status in CoopStatus}
    by_status: dict[CoopStatus, list[CoopActivity]] = {status: [] for status in CoopStatus}
    for coop in report.coops:
        counts[coop.status.value] += 1
        by_status[coop.status].append(coop)
    lapsed = sorted(
        by_status[CoopStatus.LAPSED],
        key=lambda c: (-c.last.closed_at.timestamp() if c.last else 0.0, c.code),
    )
    return CoopLists(
        counts,
        first_rows(lapsed, limit),
        first_rows(by_status[CoopStatus.NEW], limit),
        first_rows(by_status[CoopStatus.NEVER], limit),
    )
