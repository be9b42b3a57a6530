"""The dashboard's HTML pages: one Jinja2 environment over bot/dashboard/templates/.

Each page exists once per language (`<lang>/<page>.html`, Indonesian and English), extends
the language-neutral `base.html` (layout and the little CSS there is) and includes its
language's `<lang>/nav.html`. These are not chat templates (messages/templates/ holds those),
so they have their own environment: HTML autoescaping always on, `StrictUndefined`, and the
same number, Rupiah and date formats as the chat (`messages.formatting`) in the page's
`language`, times in the office's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from messages import formatting
from messages.formatting import resolve_language

T = TypeVar("T")

# Formatted dates and times each server remembers (per filter; a few hundred bytes each).
FORMATS_REMEMBERED = 4096


class Pages:
    """Renders `<lang>/<page>.html`; build one per server."""

    def __init__(self, zone: tzinfo, office_name: str) -> None:
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
