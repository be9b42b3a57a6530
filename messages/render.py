"""Rendering templates (`messages/templates/<lang>/<name>.j2`) into text for each transport.

One Jinja2 environment serves every language. Filters learn the language from the name of the
template being rendered ("en/round_open.j2" → "en"), so templates simply write
`{{ total | rupiah }}`. Templates must therefore include or import only templates of their
own language directory.

Each Renderer shows times in one zone, the config's `timezone` (`|wib`, `|wib_date`, and
`|clock_time`: the time of day with the zone's name), and offers every template two globals
from the config: `zone_name` ("WIB", "WITA", "WIT", see `formatting.zone_name`) and
`office_name` (`[office] name`), so no template writes either itself.
`bot.wiring.renderer_for` builds it from the config.

Two filters keep words in the templates while choosing between them: `round_title` names a
round as `<lang>/round_title.j2` says ("Putaran Januari", never "Putaran Putaran Januari"),
and `plural` picks the singular or plural word for a count
(`{{ n | plural("product", "products") }}`; Indonesian needs none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Protocol, TypeVar

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Undefined,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from messages import formatting
from messages.formatting import DEFAULT_LANGUAGE, JAKARTA, resolve_language
from messages.styles import TextStyle, apply_style

T = TypeVar("T")

DEFAULT_OFFICE_NAME = "Dinas Koperasi dan Usaha Kecil Menengah Kota Bandung"
"""The config's `[office] name` when it sets none."""


class KeyedError(Protocol):
    """Any of our typed errors: `key` names the template errors/<key>.j2, `params` fill it."""

    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...


def template_file(name: str, lang: str) -> str:
    """The loader name of template `name` ("errors/quantity_invalid") in language `lang`."""
    return f"{lang}/{name}.j2"


class Renderer:
    """Renders named templates; build one at startup and share it."""

    def __init__(
        self,
        template_dir: Path | None = None,
        *,
        zone: tzinfo = JAKARTA,
        office_name: str = DEFAULT_OFFICE_NAME,
    ) -> None:
        """`template_dir` replaces the packaged templates (for tests of the renderer itself);
        times are shown in `zone`, and `office_name` is who runs the rounds."""
        self.zone = zone
        self._environment = build_environment(template_dir, zone=zone, office_name=office_name)

    def render(
        self,
        name: str,
        lang: str | None,
        context: Mapping[str, object] | None = None,
        style: TextStyle = TextStyle.TELEGRAM_HTML,
    ) -> str:
        """Template `name` in `lang` (unknown → "id") with `context`, in text `style`.

        A template missing in that language raises jinja2.TemplateNotFound, and a variable
        missing from `context` raises jinja2.UndefinedError.
        """
        template = self._environment.get_template(template_file(name, resolve_language(lang)))
        html = template.render(dict(context or {})).strip()
        return apply_style(html, style)

    def round_title(self, name: str, lang: str | None) -> Markup:
        """A round's name as the `round_title` filter writes it in `lang` ("Putaran Januari"),
        escaped once, for pages outside these templates (the dashboard's)."""
        return _title_of(self._environment, name, resolve_language(lang))

    def render_label(
        self, name: str, lang: str | None, context: Mapping[str, object] | None = None
    ) -> str:
        """A button label or menu entry ("buttons/order_plus"): always plain text."""
        return self.render(name, lang, context, TextStyle.PLAIN)

    def render_error(
        self, error: KeyedError, lang: str | None, style: TextStyle = TextStyle.TELEGRAM_HTML
    ) -> str:
        """The explanation of a typed error, from errors/<key>.j2 with its params."""
        return self.render(f"errors/{error.key}", lang, error.params, style)


def build_environment(
    template_dir: Path | None = None,
    *,
    zone: tzinfo = JAKARTA,
    office_name: str = DEFAULT_OFFICE_NAME,
) -> Environment:
    loader: BaseLoader = (
        PackageLoader("messages", "templates")
        if template_dir is None
        else FileSystemLoader(template_dir)
    )
    environment = Environment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the code: compile each once (there are more than Jinja's default
        # cache of 400) and never stat them again on render.
        auto_reload=False,
        cache_size=-1,
    )
    environment.filters.update(
        rupiah=_in_template_language(formatting.rupiah),
        rupiah_cents=_in_template_language(formatting.rupiah_cents),
        number=_in_template_language(formatting.number),
        wib=_in_template_language(_in_zone(formatting.wib, zone)),
        wib_date=_in_template_language(_in_zone(formatting.wib_date, zone)),
        clock_time=_in_template_language(_in_zone(formatting.clock_time, zone)),
        month_year=_in_template_language(formatting.month_year),
        day=_in_template_language(formatting.calendar_day),
        duration=_in_template_language(formatting.duration),
        plural=_plural,
    )
    environment.filters["round_title"] = _round_title(environment)
    environment.globals.update(zone_name=formatting.zone_name(zone), office_name=office_name)
    return environment


def _plural(count: int, singular: str, plural: str) -> str:
    """The word for `count` things: `singular` for exactly one, else `plural`."""
    return singular if count == 1 else plural


def _round_title(environment: Environment) -> Callable[[Context, str], Markup]:
    """A round's name as its language's `round_title.j2` writes it (escaped there)."""

    @pass_context
    def round_title(context: Context, name: str) -> Markup:
        if isinstance(name, Undefined):
            str(name)  # StrictUndefined raises UndefinedError naming the missing variable
        return _title_of(environment, name, _template_language(context))

    return round_title


def _title_of(environment: Environment, name: str, language: str) -> Markup:
    template = environment.get_template(template_file("round_title", language))
    return Markup(template.render(name=name).strip())


def _in_zone(
    format_time: Callable[[datetime, str, tzinfo], str], zone: tzinfo
) -> Callable[[datetime, str], str]:
    def in_zone(moment: datetime, lang: str) -> str:
        return format_time(moment, lang, zone)

    return in_zone


def _in_template_language(
    format_value: Callable[[T, str], str],
) -> Callable[[Context, T], str]:
    @pass_context
    def filter_value(context: Context, value: T) -> str:
        if isinstance(value, Undefined):
            str(value)  # StrictUndefined raises UndefinedError naming the missing variable
        return format_value(value, _template_language(context))

    return filter_value


def _template_language(context: Context) -> str:
    template_name = context.name or ""
    found = _LANGUAGE_OF.get(template_name)  # every filtered value asks: once per template
    if found is None:
        prefix = template_name.split("/", 1)[0]
        found = resolve_language(prefix) if "/" in template_name else DEFAULT_LANGUAGE
        _LANGUAGE_OF[template_name] = found
    return found


_LANGUAGE_OF: dict[str, str] = {}  # a template's name: the language it is written in
