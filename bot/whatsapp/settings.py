"""WhatsApp settings beyond `bot.config.WhatsAppConfig`: message templates and per-user pace.

Outside the 24-hour window only templates approved in WhatsApp Manager may be sent. Which
Meta template stands for which of our messages is configuration, one table per message:

    [whatsapp.templates.announce_round_opened]
    name = "belanja_putaran_dibuka"          # the template's name in WhatsApp Manager
    parameters = ["round_name", "product_count:number", "closes_at:wib"]
    languages = { id = "id", en = "en" }     # our language → the template's language code
    quick_reply = true                       # the template has one quick-reply button

`parameters` fill {{1}}, {{2}}, … from the queued reply's context: a key (dots reach into
nested values, "coop.name") and an optional format (text, number, rupiah, wib, wib_date).
The quick-reply button (on by default) carries the reply's first option, or "show me", so
pressing it opens the 24-hour window and the full message follows.
`[whatsapp.templates.default]` stands for every message without its own table. The
templates of docs/whatsapp.md (`DEFAULT_TEMPLATES`) apply unless configured otherwise.

`bot.config` hands the raw `[whatsapp]` table to `settings_from_toml`, which checks these
keys and ignores the ones `bot.config` checks itself; configured tables replace the
documented ones of the same name and leave the others. A table must name one of our
messages (`messages.contents.message_names`: "summary_bill", not "sumary_bill"), its
`parameters` values that message shows (`message_values`; the default table's are not
checked, it stands for every message), and `languages` our languages ("id", "en").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.config_reading import ConfigError
from messages.contents import message_names, message_values
from messages.formatting import LANGUAGES

FORMATS = ("text", "number", "rupiah", "wib", "wib_date")
DEFAULT_KEY = "default"
_TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,512}")
_PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?::[a-z_]+)?")
_SPEC_KEYS = frozenset({"name", "parameters", "languages", "quick_reply"})
_BOTH = {"id": "id", "en": "en"}


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """One approved Meta template: its name, language codes, and how to fill it."""

    name: str
    parameters: tuple[str, ...] = ()
    languages: Mapping[str, str] = field(default_factory=lambda: dict(_BOTH))
    quick_reply: bool = True

    def language_for(self, language: str) -> str:
        return self.languages.get(language) or next(iter(self.languages.values()))


DEFAULT_TEMPLATES: Mapping[str, TemplateSpec] = {
    "announce_round_opened": TemplateSpec(
        "belanja_putaran_dibuka", ("round_name", "product_count:number", "closes_at:wib")
    ),
    "reminder_nudge": TemplateSpec("belanja_pengingat", ("round_name", "closes_at:wib")),
    "reminder_order": TemplateSpec("belanja_pengingat_pesanan", ("round_name", "closes_at:wib")),
    "summary_bill": TemplateSpec("belanja_tagihan", ("round_name", "coop_name", "total:rupiah")),
    "announce_broadcast": TemplateSpec("belanja_pengumuman"),
    DEFAULT_KEY: TemplateSpec("belanja_pesan_baru"),
}


@dataclass(frozen=True, slots=True)
class WhatsAppSettings:
    templates: Mapping[str, TemplateSpec] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    # Seconds between two messages the sender sends to one person (Meta's "pair rate").
    per_user_seconds: float = 1.0
    # Free-form messages only this long after the person's last message (24 h, less a margin
    # so that a message sent at the edge does not arrive after the window closed).
    window: timedelta = timedelta(hours=23, minutes=50)
    # Outside the window, a reply this soon after a template the person has not answered
    # waits behind that template instead of costing one of its own: what one batch (a
    # close) queues for a person goes as one template, sent over a few seconds or minutes.
    one_template_within: timedelta = timedelta(hours=1)

    def template_for(self, reply_template: str) -> TemplateSpec | None:
        """The Meta template that stands for our `reply_template`, or the default one."""
        return self.templates.get(reply_template) or self.templates.get(DEFAULT_KEY)


def settings_from_toml(whatsapp: Mapping[str, object]) -> WhatsAppSettings:
    """Read `templates` and `per_user_seconds` from a parsed [whatsapp] table."""
    defaults = WhatsAppSettings()
    seconds = whatsapp.get("per_user_seconds", defaults.per_user_seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise _wrong("whatsapp.per_user_seconds", "number", seconds)
    if seconds < 0:
        path = "whatsapp.per_user_seconds"
        raise ConfigError("config_out_of_range", path=path, got=seconds, minimum=0, maximum=None)
    raw = whatsapp.get("templates")
    if raw is None:
        return WhatsAppSettings(per_user_seconds=float(seconds))
    if not isinstance(raw, dict):
        raise _wrong("whatsapp.templates", "table", raw)
    configured = {key: _spec(key, value, f"whatsapp.templates.{key}") for key, value in raw.items()}
    templates = {**DEFAULT_TEMPLATES, **configured}
    return WhatsAppSettings(templates=templates, per_user_seconds=float(seconds))


def _spec(message: str, value: object, path: str) -> TemplateSpec:
    """The table of one message (or of "default"), at `path`."""
    _check_message(message, path)
    if not isinstance(value, dict):
        raise _wrong(path, "table", value)
    for key in value:
        if key not in _SPEC_KEYS:
            raise ConfigError("config_unknown_key", path=f"{path}.{key}")
    name = value.get("name")
    if not isinstance(name, str) or not _TEMPLATE_NAME.fullmatch(name):
        raise _wrong(f"{path}.name", "non_empty_text", name)
    parameters = value.get("parameters", [])
    if not isinstance(parameters, list) or not all(isinstance(p, str) for p in parameters):
        raise _wrong(f"{path}.parameters", "list_of_texts", parameters)
    for index, parameter in enumerate(parameters):
        _check_parameter(message, parameter, f"{path}.parameters[{index}]")
    quick_reply = value.get("quick_reply", True)
    if not isinstance(quick_reply, bool):
        raise _wrong(f"{path}.quick_reply", "boolean", quick_reply)
    codes = _languages(value.get("languages", _BOTH), f"{path}.languages")
    return TemplateSpec(name, tuple(parameters), codes, quick_reply)


def _check_message(message: str, path: str) -> None:
    """A table names one of our messages ("summary_bill"), or is the default."""
    if message == DEFAULT_KEY or message in message_names():
        return
    close = difflib.get_close_matches(message, sorted(message_names()), n=1)
    raise ConfigError(
        "config_unknown_message",
        path=path,
        got=message,
        suggestion=close[0] if close else None,
        documented=[name for name in DEFAULT_TEMPLATES if name != DEFAULT_KEY],
    )


def _check_parameter(message: str, parameter: str, path: str) -> None:
    """A value of `message` ("coop_name"), its parts ("round.name") and a format."""
    if not _PARAMETER.fullmatch(parameter):
        raise _wrong(path, "non_empty_text", parameter)
    key, _, style = parameter.partition(":")
    if style and style not in FORMATS:
        raise ConfigError("config_invalid_choice", path=path, got=style, choices=list(FORMATS))
    if message == DEFAULT_KEY:  # stands for every message: any of their values may be there
        return
    value, shown = key.partition(".")[0], message_values(message)
    if value not in shown:
        raise ConfigError(
            "config_unknown_parameter", path=path, message=message, got=value, values=sorted(shown)
        )


def _languages(languages: object, path: str) -> dict[str, str]:
    """Our language ("id", "en") → the template's language code in WhatsApp Manager."""
    if (
        not isinstance(languages, dict)
        or not languages
        or not all(isinstance(code, str) and code for code in languages.values())
    ):
        raise _wrong(path, "table", languages)
    for language in languages:
        if language not in LANGUAGES:
            raise ConfigError(
                "config_unknown_language", path=path, got=language, languages=list(LANGUAGES)
            )
    return {str(k): str(v) for k, v in languages.items()}


def _wrong(path: str, expected: str, value: object) -> ConfigError:
    shown = repr(value) if not isinstance(value, dict) else "{…}"
    return ConfigError("config_wrong_type", path=path, expected=expected, got=shown[:40])
