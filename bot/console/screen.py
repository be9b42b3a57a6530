"""What the demo prints: replies as plain text with numbered options, and its own lines.

A reply becomes a block of lines starting with "| "; its options follow, one row of buttons
per line, numbered from 1 ("[1] Katalog  [2] Pesanan saya") when they are the ones a number
answers, bulleted otherwise. Every word printed comes from a template: replies from their
own, the demo's own lines from messages/templates/<lang>/console/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from messages.render import Renderer
from messages.replies import Option, Reply
from messages.styles import TextStyle

Output = Callable[[str], object]
MARGIN = "| "


@dataclass(frozen=True, slots=True)
class Shown:
    """A reply as printed, and the options a number answers after it (empty: none)."""

    text: str
    options: tuple[Option, ...]


class Screen:
    def __init__(self, write: Output, renderer: Renderer, language: str) -> None:
        self._write = write
        self.renderer = renderer
        self.language = language

    def line(self, text: str = "") -> None:
        self._write(text + "\n")

    def raw(self, text: str) -> None:
        self._write(text)

    def message(self, shown: Shown) -> None:
        """A reply from the bot, set off from what came before by a blank line."""
        self.line()
        self.line(shown.text)

    def say(self, template: str, **context: object) -> None:
        """Print template console/<name> in the demo's language."""
        self.line(self.text(template, **context))

    def text(self, template: str, **context: object) -> str:
        return self.renderer.render(f"console/{template}", self.language, context, TextStyle.PLAIN)

    def show(self, batch: Sequence[Reply]) -> list[Shown]:
        """The replies of one batch as printed; only the last one with options is numbered."""
        numbered = max((i for i, reply in enumerate(batch) if reply.options), default=-1)
        return [self.shown(reply, numbered=i == numbered) for i, reply in enumerate(batch)]

    def shown(self, reply: Reply, *, numbered: bool) -> Shown:
        body = self.renderer.render(reply.template, reply.language, reply.context, TextStyle.PLAIN)
        lines = [MARGIN + line for line in body.splitlines()]
        if reply.attachment is not None:
            attachment = self.text("attachment", path=str(reply.attachment))
            lines.append(MARGIN + attachment)
        number = 0
        for row in reply.options:
            buttons = []
            for option in row:
                number += 1
                mark = f"[{number}]" if numbered else "[-]"
                buttons.append(f"{mark} {self._label(option, reply.language)}")
            lines.append(MARGIN + "  ".join(buttons))
        options = tuple(reply.flat_options) if numbered else ()
        return Shown("\n".join(lines), options)

    def _label(self, option: Option, language: str) -> str:
        return self.renderer.render_label(option.label, language, option.label_context)
