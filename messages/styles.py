"""Turning a rendered template (Telegram HTML) into the text style of each transport.

Templates produce HTML-ish text: every value is escaped by autoescaping and the only tags are
<b>, <i> and <code>. Telegram takes that as is (parse mode HTML); WhatsApp gets its own
markers (*bold*, _italic_, ```code```); the console and the command line get plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from html.parser import HTMLParser

ALLOWED_TAGS: frozenset[str] = frozenset({"b", "i", "code"})

_WHATSAPP_MARKERS = {"b": "*", "i": "_", "code": "```"}
_TAG = re.compile(r"</?(?:b|i|code)>")
# Telegram knows only these named entities (and every numeric one).
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


class TextStyle(StrEnum):
    TELEGRAM_HTML = "telegram_html"
    WHATSAPP = "whatsapp"
    PLAIN = "plain"


class MarkupError(ValueError):
    """A template produced a tag we do not allow, or unbalanced tags (a template bug)."""


def apply_style(html: str, style: TextStyle) -> str:
    """`html` (as rendered, Telegram style) in `style`."""
    if style is TextStyle.TELEGRAM_HTML:
        return html
    root = parse_markup(html)
    if style is TextStyle.WHATSAPP:
        return root.as_whatsapp()
    return root.as_plain()


def validate_telegram_html(html: str) -> None:
    """Raise MarkupError unless Telegram's HTML parse mode would accept `html`."""
    parse_markup(html)
    bare = _ENTITY.sub("", _TAG.sub("", html))
    for character in "<>&":
        if character in bare:
            raise MarkupError(f"unescaped {character!r} in {html!r}")


@dataclass
class Element:
    """A tag (or the root, tag "") with its children: text (unescaped) or elements."""

    tag: str
    children: list[str | Element] = field(default_factory=list)

    def as_plain(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.as_plain() for child in self.children
        )

    def as_whatsapp(self) -> str:
        inner = "".join(
            child if isinstance(child, str) else child.as_whatsapp() for child in self.children
        )
        marker = _WHATSAPP_MARKERS.get(self.tag)
        if marker is None or not inner.strip():
            return inner
        # WhatsApp ignores a marker that touches a space ("*Rp 5.000 *"): keep spaces outside.
        core = inner.strip()
        start = inner.index(core)
        return f"{inner[:start]}{marker}{core}{marker}{inner[start + len(core) :]}"


def parse_markup(html: str) -> Element:
    """Parse rendered text into a tree; raise MarkupError on foreign or unbalanced tags."""
    parser = _MarkupParser()
    parser.feed(html)
    parser.close()
    return parser.finish()


class _MarkupParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[Element] = [Element("")]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS or attrs:
            raise MarkupError(f"tag <{tag}> with {attrs} is not allowed in messages")
        element = Element(tag)
        self._stack[-1].children.append(element)
        self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise MarkupError(f"self-closing tag <{tag}/> is not allowed in messages")

    def handle_endtag(self, tag: str) -> None:
        if len(self._stack) == 1 or self._stack[-1].tag != tag:
            raise MarkupError(f"</{tag}> closes {self._stack[-1].tag or 'nothing'}")
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        raise MarkupError("HTML comments are not allowed in messages")

    def handle_decl(self, decl: str) -> None:
        raise MarkupError(f"declaration <!{decl}> is not allowed in messages")

    def finish(self) -> Element:
        if len(self._stack) != 1:
            raise MarkupError(f"<{self._stack[-1].tag}> is never closed")
        return self._stack[0]
