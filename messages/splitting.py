"""Cutting a long rendered text into messages that fit a platform's length limit.

Assumption about our templates: a tag pair (<b>…</b>, <i>…</i>, <code>…</code>) never spans a
line break. Cutting between lines therefore never separates a tag from its closing tag, so
each part stays valid Telegram HTML. Only a single line longer than the whole limit (which no
template produces) is cut inside the line, at spaces where possible.

Lengths are counted in UTF-16 code units, as Telegram counts them (an emoji counts twice).
"""

from __future__ import annotations

TELEGRAM_LIMIT = 4096


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """`text` in order, in parts of at most `limit`, cut at line boundaries; no empty parts."""
    if limit < 1:
        raise ValueError(f"limit must be positive, got {limit}")
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        line_size = _size(line)
        if current and size + 1 + line_size <= limit:
            current.append(line)
            size += 1 + line_size
            continue
        parts.append("\n".join(current))
        pieces = _cut_line(line, limit) if line_size > limit else [line]
        parts.extend(pieces[:-1])
        current, size = [pieces[-1]], _size(pieces[-1])
    parts.append("\n".join(current))
    return [part.strip("\n") for part in parts if part.strip()]


def _cut_line(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    rest = line
    while _size(rest) > limit:
        cut = _fitting_prefix(rest, limit)
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip(" ")
    pieces.append(rest)
    return pieces


def _fitting_prefix(text: str, limit: int) -> int:
    """The number of characters of `text` whose UTF-16 size is at most `limit`."""
    size = 0
    for index, character in enumerate(text):
        size += _size(character)
        if size > limit:
            return max(index, 1)
    return len(text)


def _size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
