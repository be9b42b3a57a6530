"""What a handler answers: template references and options, never finished sentences.

Each transport renders a `Reply` its own way: Telegram as HTML with an inline keyboard
(edited in place when `replace` is set), WhatsApp as reply buttons or a list, the console
as numbered options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Option:
    """A button. `label` names a template under messages/templates/<lang>/buttons/.

    `payload` is sent back when pressed (at most 64 bytes, see `messages.buttons`);
    `open_private_chat` asks the transport for a link into the private chat with the bot
    instead (used in groups, where no coop's order is ever shown), with `payload` as the
    start parameter. `detail` names a second template (same context) for a line under the
    label where the platform has room for one: a WhatsApp list row's description.
    """

    label: str
    label_context: Mapping[str, object] = field(default_factory=dict)
    payload: str = ""
    open_private_chat: bool = False
    detail: str = ""


class FileKind(StrEnum):
    WORKBOOK = "workbook"  # the round's XLSX workbook
    BILL = "bill"  # one coop's bill (PDF); party: the coop's code
    PURCHASE_ORDER = "purchase_order"  # one supplier's purchase order (PDF); party: its code


@dataclass(frozen=True, slots=True)
class FileRequest:
    """A file of a round that is made when a queued message is sent (in the reader's language)
    and attached to it."""

    kind: FileKind
    round_id: int
    party: str = ""
    # A bill to one supplier (where each is paid directly): that supplier's code.
    supplier: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: `template` with `context`, rendered in `language`, plus rows of options."""

    template: str
    context: Mapping[str, object]
    language: str
    options: tuple[tuple[Option, ...], ...] = ()
    replace: bool = False
    attachment: Path | None = None
    # The attachment is a picture to show in the chat (a chart), not a file to download.
    picture: bool = False

    @property
    def flat_options(self) -> Sequence[Option]:
        return [option for row in self.options for option in row]


def rows(options: Sequence[Option], per_row: int) -> tuple[tuple[Option, ...], ...]:
    """Lay options out `per_row` to a row."""
    return tuple(tuple(options[i : i + per_row]) for i in range(0, len(options), per_row))
