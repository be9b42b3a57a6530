"""A `Reply` as the WhatsApp messages that show it, within what the Cloud API accepts.

Text comes from the same templates as on Telegram, in `TextStyle.WHATSAPP` (*bold*,
_italic_, monospace). Options are laid out by how many there are (rows do not matter on
WhatsApp):

- up to 3 → reply buttons, titles at most 20 characters (shortened with "…"; two titles
  that end up the same would be refused, so those options go into a list instead);
- up to 10 → a list message: row titles at most 24 characters; the row's description (at
  most 72) holds a shortened title's full label and the option's detail (a product's price),
  the list button's own text at most 20;
- more → numbered text ("1. …") answered by number; the payloads are remembered by the
  adapter (`storage.delivery.whatsapp.set_numbered_options`).

`open_private_chat` options are left out: a WhatsApp chat with the bot is private already.
A text is at most 4096 characters (longer ones are split at line breaks) and the body of an
interactive message at most 1024: a longer text goes first as plain text, and the buttons
follow under a short prompt. An attachment is sent as a document, the text as its caption
when it fits 1024 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from messages.render import Renderer
from messages.replies import Option, Reply
from messages.splitting import split_message
from messages.styles import TextStyle

TEXT_LIMIT = 4096
BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
MAX_BUTTONS = 3
BUTTON_TITLE = 20
MAX_ROWS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
LIST_BUTTON = 20
RENDERED = "whatsapp/rendered"
LABEL = "whatsapp/label"
DETAIL = "whatsapp/detail"


@dataclass(frozen=True, slots=True)
class Choice:
    title: str
    payload: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One Cloud API message: text, or text with reply buttons, or a list, or a document."""

    text: str
    buttons: tuple[Choice, ...] = ()
    list_button: str | None = None  # set: a list message whose rows are `rows`
    rows: tuple[Choice, ...] = ()
    document: Path | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    messages: tuple[OutgoingMessage, ...]
    # Payloads of options sent as numbered text; () otherwise: after any newer message a
    # number typed later no longer means an option of an older one.
    numbered: tuple[str, ...]


def render_reply(renderer: Renderer, reply: Reply) -> Rendered:
    text = renderer.render(reply.template, reply.language, reply.context, TextStyle.WHATSAPP)
    options = [o for o in reply.flat_options if o.payload and not o.open_private_chat]
    labels = [renderer.render_label(o.label, reply.language, o.label_context) for o in options]
    details = [_detail(renderer, reply.language, option) for option in options]
    messages: list[OutgoingMessage] = []
    if reply.attachment is not None:
        messages.extend(_document(text, reply.attachment))
        text = ""
    if not options:
        messages.extend(OutgoingMessage(part) for part in split_message(text, TEXT_LIMIT))
        return Rendered(tuple(messages), ())
    if len(options) > MAX_ROWS:
        listed = renderer.render(
            "whatsapp/numbered_options", reply.language, {"labels": labels}, TextStyle.WHATSAPP
        )
        numbered = f"{text}\n\n{listed}" if text else listed
        messages.extend(OutgoingMessage(part) for part in split_message(numbered, TEXT_LIMIT))
        return Rendered(tuple(messages), tuple(o.payload for o in options))
    if not text or size(text) > BODY_LIMIT:
        messages.extend(OutgoingMessage(part) for part in split_message(text, TEXT_LIMIT))
        text = renderer.render("whatsapp/options_prompt", reply.language, {}, TextStyle.WHATSAPP)
    messages.append(_interactive(renderer, reply.language, text, options, labels, details))
    return Rendered(tuple(messages), ())


def frozen_reply(renderer: Renderer, reply: Reply) -> Reply:
    """`reply` with its text and labels rendered already, in plain values, so that it can
    wait in the outbox (a handler's context may hold domain objects the outbox does not
    take); rendering it again gives the same messages."""
    text = renderer.render(reply.template, reply.language, reply.context, TextStyle.WHATSAPP)
    options = tuple(
        tuple(
            Option(
                LABEL,
                {
                    "label": renderer.render_label(o.label, reply.language, o.label_context),
                    "detail": _detail(renderer, reply.language, o),
                },
                o.payload,
                o.open_private_chat,
                DETAIL if o.detail else "",
            )
            for o in row
        )
        for row in reply.options
    )
    return Reply(RENDERED, {"text": text}, reply.language, options, attachment=reply.attachment)


def _document(text: str, attachment: Path) -> list[OutgoingMessage]:
    if size(text) <= CAPTION_LIMIT:
        return [OutgoingMessage(text, document=attachment)]
    parts = [OutgoingMessage(part) for part in split_message(text, TEXT_LIMIT)]
    return [*parts, OutgoingMessage("", document=attachment)]


def _detail(renderer: Renderer, language: str, option: Option) -> str:
    if not option.detail:
        return ""
    return renderer.render_label(option.detail, language, option.label_context)


def _interactive(
    renderer: Renderer,
    language: str,
    body: str,
    options: Sequence[Option],
    labels: list[str],
    details: list[str],
) -> OutgoingMessage:
    titles = [shorten(label, BUTTON_TITLE) for label in labels]
    if len(options) <= MAX_BUTTONS and len(set(titles)) == len(titles):
        buttons = tuple(Choice(t, o.payload) for t, o in zip(titles, options, strict=True))
        return OutgoingMessage(body, buttons=buttons)
    rows: dict[str, Choice] = {}
    for option, label, detail in zip(options, labels, details, strict=True):
        title = shorten(label, ROW_TITLE)
        parts = [label] if title != _one_line(label) else []
        parts += [detail] if detail else []
        described = shorten(" · ".join(parts), ROW_DESCRIPTION) if parts else None
        rows.setdefault(option.payload, Choice(title, option.payload, described))
    button = shorten(renderer.render_label("whatsapp/list_button", language), LIST_BUTTON)
    return OutgoingMessage(body, list_button=button, rows=tuple(rows.values()))


def shorten(label: str, limit: int) -> str:
    """`label` on one line, at most `limit` characters (cut with "…" when longer)."""
    text = _one_line(label)
    if size(text) <= limit:
        return text
    cut = text
    while size(cut) > limit - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _one_line(label: str) -> str:
    return " ".join(label.split())


def size(text: str) -> int:
    """Length as Meta counts it, at worst: UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2
