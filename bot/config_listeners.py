"""The web servers `belanja-bareng run` starts from the config, and the refusal of two of
them on one port.

The Telegram webhook, the WhatsApp webhook and the web dashboard each listen on their own
`listen`:`port`. Two of them on the same port of the same address cannot both start: the
second dies with "Address already in use" after the first has started. `bot.config` refuses
such a config while reading it, naming both keys, so `doctor` and `run` say so at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from bot.config_reading import ConfigError

# Addresses that listen on every address of the server (and so meet any other).
_EVERY_ADDRESS = frozenset({"", "0.0.0.0", "::", "*"})
# A name the server listens under on several addresses at once.
_ADDRESSES_OF = {"localhost": frozenset({"127.0.0.1", "::1"})}


class Listener(NamedTuple):
    """One server `run` starts: the config key of its port, its address and port."""

    port_key: str
    listen: str
    port: int


def refuse_shared_ports(listeners: Sequence[Listener]) -> None:
    """Refuse two of `listeners` on one port of one address (`config_port_shared`)."""
    for first, second in itertools.combinations(listeners, 2):
        if first.port == second.port and _addresses_meet(first.listen, second.listen):
            raise ConfigError(
                "config_port_shared",
                path=first.port_key,
                other=second.port_key,
                port=first.port,
                listen=first.listen,
                other_listen=second.listen,
            )


def _addresses_meet(one: str, other: str) -> bool:
    """Whether servers listening on `one` and `other` would want the same address."""
    first, second = _addresses(one), _addresses(other)
    return not first.isdisjoint(second) or bool((first | second) & _EVERY_ADDRESS)


def _addresses(listen: str) -> frozenset[str]:
    address = listen.strip().lower()
    return _ADDRESSES_OF.get(address, frozenset({address}))
