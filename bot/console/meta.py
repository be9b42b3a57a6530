"""Console meta-commands: lines starting with ":" talk to the demo, not to the bot.

Indonesian names first, English aliases too: `:siapa`/`:who` lists the personas,
`:jadi N`/`:as N` switches persona (by number or name), `:tekan N`/`:press N` presses
option N even while the bot waits for a typed number, `:kirim FILE`/`:send FILE` sends a
file as the active persona (a photo of a transfer, a bank statement), `:bantuan`/`:help`
explains,
`:keluar`/`:quit` ends the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PREFIX = ":"


class Meta(StrEnum):
    WHO = "who"
    BECOME = "become"
    PRESS = "press"
    SEND = "send"
    HELP = "help"
    QUIT = "quit"


NAMES: dict[str, Meta] = {
    "siapa": Meta.WHO,
    "who": Meta.WHO,
    "jadi": Meta.BECOME,
    "as": Meta.BECOME,
    "tekan": Meta.PRESS,
    "press": Meta.PRESS,
    "kirim": Meta.SEND,
    "send": Meta.SEND,
    "bantuan": Meta.HELP,
    "help": Meta.HELP,
    "keluar": Meta.QUIT,
    "quit": Meta.QUIT,
    "exit": Meta.QUIT,
}


@dataclass(frozen=True, slots=True)
class MetaCommand:
    name: str
    meta: Meta | None
    args: str


def is_meta(line: str) -> bool:
    return line.startswith(PREFIX)


def parse_meta(line: str) -> MetaCommand:
    """ ":jadi 2" → BECOME with "2"; an unknown name gives meta None."""
    name, _, args = line[len(PREFIX) :].strip().partition(" ")
    return MetaCommand(name, NAMES.get(name.lower()), args.strip())
