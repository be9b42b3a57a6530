"""Compact button payloads: `verb:arg:arg`, at most 64 bytes (Telegram's callback-data limit).

A payload carries ids, never names. Decoding only checks the shape; every handler checks
the meaning again on the server (is the round still open, is the product in it, does this
person still represent that coop), because any payload can be forged.

Verbs in use (add yours here):

- "l:<lang>" choose language (help)
- "c:<coop>" act for this coop (join)
- "k:<round>:<page>" catalog page, 0-based; "p:<round>:<code>" product detail (catalog)
- "q:<round>:<code>:<step>:<coop>" change the coop's quantity, step "+1", "+5", "+10" or
  "=0"; "t:<round>:<code>:<coop>" ask for a typed quantity; "x" cancel / close a menu
  (quantity_buttons; buttons from before the coop was added lack the last argument)
- "o:<round>" my coop's order; "u:<round>" confirm repeating the last closed order (my_order)
- "ar:<round>" recap; "am:<round>" round menu; "aq"/"ay:<round>" ask to close / cancel;
  "ac"/"ax:<round>" close / cancel after confirming; "an" never mind;
  "ad:<coop>:<platform>:<user id>" remove a coop's rep (admin)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_+=.-]{0,32}$")
_VERB = re.compile(r"^[a-z]{1,3}$")


class ForgedPayload(Exception):
    """A payload that no button of ours could have sent."""


@dataclass(frozen=True, slots=True)
class Payload:
    verb: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        try:
            return int(self.args[index])
        except (IndexError, ValueError) as error:
            raise ForgedPayload(self) from error

    def str_arg(self, index: int) -> str:
        try:
            return self.args[index]
        except IndexError as error:
            raise ForgedPayload(self) from error


def encode(verb: str, *args: object) -> str:
    texts = [str(arg) for arg in args]
    if not _VERB.match(verb) or not all(_ARG.match(text) for text in texts):
        raise ValueError(f"payload parts must be short ids: {verb!r} {texts!r}")
    data = ":".join([verb, *texts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"payload over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str) -> Payload:
    if not data or len(data.encode()) > MAX_BYTES:
        raise ForgedPayload(data)
    verb, *args = data.split(":")
    if not _VERB.match(verb) or not all(_ARG.match(arg) for arg in args):
        raise ForgedPayload(data)
    return Payload(verb, tuple(args))
