"""Filling an approved Meta template from a queued `Reply` (outside the 24-hour window).

The body parameters come from the reply's context as `TemplateSpec.parameters` name them,
formatted like our own templates format them (Rupiah, times in the office's zone) in the
reply's language. Meta
refuses a parameter that is empty or holds a line break, a tab or more than four spaces in
a row, so values are put on one line and shortened. The quick-reply button carries the
reply's first option (pressing "Lihat katalog" opens the catalog), or `SHOW_HELD`, which
only asks for the full message held back (`storage.delivery.whatsapp_sends`); the default template's
button ("Tampilkan") always does the latter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot.whatsapp.rendering import shorten
from bot.whatsapp.settings import TemplateSpec
from messages import formatting
from messages.buttons import Verb
from messages.formatting import JAKARTA
from messages.replies import Reply

SHOW_HELD = Verb.SHOW_HELD
PARAMETER_LIMIT = 200
EMPTY = "-"


@dataclass(frozen=True, slots=True)
class TemplateMessage:
    name: str
    language: str
    components: tuple[dict[str, Any], ...]


def template_message(
    spec: TemplateSpec, reply: Reply, *, own: bool = True, zone: tzinfo = JAKARTA
) -> TemplateMessage:
    """The template message for `reply`; `own` is False when `spec` is the default template
    (its button says "show", so it never carries the reply's option). Times are shown in
    `zone` (the config's `timezone`)."""
    components: list[dict[str, Any]] = []
    if spec.parameters:
        values = [parameter_value(reply, parameter, zone) for parameter in spec.parameters]
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}
        )
    if spec.quick_reply:
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": "0",
                "parameters": [
                    {"type": "payload", "payload": button_payload(reply) if own else SHOW_HELD}
                ],
            }
        )
    return TemplateMessage(spec.name, spec.language_for(reply.language), tuple(components))


def button_payload(reply: Reply) -> str:
    usable = [o.payload for o in reply.flat_options if o.payload and not o.open_private_chat]
    return usable[0] if usable else SHOW_HELD


def parameter_value(reply: Reply, parameter: str, zone: tzinfo = JAKARTA) -> str:
    """The text of one parameter ("closes_at:wib") of `reply`, on one line."""
    path, _, style = parameter.partition(":")
    value = _lookup(reply.context, path.split("."))
    text = _formatted(value, style or "text", reply.language, zone)
    return shorten(text, PARAMETER_LIMIT) or EMPTY


def _lookup(context: Mapping[str, object], keys: list[str]) -> object:
    value: object = context
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)
        if value is None:
            return None
    return value


def _formatted(value: object, style: str, language: str, zone: tzinfo) -> str:
    if value is None:
        return ""
    if style in ("number", "rupiah") and isinstance(value, int) and not isinstance(value, bool):
        format_int = formatting.rupiah if style == "rupiah" else formatting.number
        return format_int(value, language)
    if style in ("wib", "wib_date") and isinstance(value, datetime):
        format_time = formatting.wib if style == "wib" else formatting.wib_date
        return format_time(value, language, zone)
    return str(value)
