"""Compact button payloads: `verb:arg:arg`, at most 64 bytes (Telegram's callback-data limit).

A payload carries ids, never names. Decoding only checks the shape; every handler checks
the meaning again on the server (is the round still open, is the product in it, does this
person still represent that coop), because any payload can be forged.

Every verb is a member of `Verb`, the one table of them (`encode` takes nothing else), and
exactly one handler claims each (`handlers.router` refuses to start otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Verb(StrEnum):
    """What a pressed button asks for, and the arguments its payload carries."""

    LANGUAGE = "l"  # l:<lang>: choose a language (handlers.help)
    ACT_FOR_COOP = "c"  # c:<coop>: act for this coop (handlers.treasurer.join)
    # k:<round>:<page>: a catalog page, 0-based (treasurer.catalog): products, or in a
    # catalog that opens by supplier, suppliers
    CATALOG_PAGE = "k"
    SUPPLIER_PAGE = "ks"  # ks:<round>:<supplier>:<page>: a page of one supplier's products
    PRODUCT = "p"  # p:<round>:<code>: one product with its buttons (treasurer.catalog)
    # q:<round>:<code>:<step>:<coop>: change the coop's quantity, step "+1", "+5", "+10" or
    # "=0" (buttons from before the coop was added lack the last argument)
    QUANTITY_STEP = "q"
    TYPE_QUANTITY = "t"  # t:<round>:<code>:<coop>: ask for a typed quantity
    # op:<round>:<code>:<quantity>:<coop>: the product meant by a typed line that fit several
    # (treasurer.order_choice)
    ORDER_PICK = "op"
    CLOSE_MENU = "x"  # x: close a menu, forget a quantity asked for
    MY_ORDER = "o"  # o:<round>: my coop's order (treasurer.my_order)
    REPEAT_ORDER = "u"  # u:<round>: repeat the last closed round's order, confirmed
    RECAP = "ar"  # ar:<round>: live totals (handlers.admin.recap)
    ROUND_MENU = "am"  # am:<round>: a round's menu (admin.rounds)
    ASK_CLOSE = "aq"  # aq:<round>: ask to confirm closing now (admin.round_moves)
    ASK_CANCEL = "ay"  # ay:<round>: ask to confirm cancelling
    CLOSE_ROUND = "ac"  # ac:<round>: close now, confirmed
    CANCEL_ROUND = "ax"  # ax:<round>: cancel, confirmed
    NEVER_MIND = "an"  # an: dismiss the question
    REMOVE_REP = "ad"  # ad:<coop>:<platform>:<user id>: remove a rep (admin.people)
    PROOF_ACCEPT = "pa"  # pa:<proof>: record the payment a proof of transfer shows (admin)
    PROOF_REJECT = "pr"  # pr:<proof>: reject a proof of transfer (admin.payments)
    # sc:<round>:<supplier>:<days>: the supplier ships all of its order in <days> (1 or 2)
    SUPPLIER_CONFIRM = "sc"
    RECEIPT_PHOTO = "rp"  # rp:<round>:<coop>: the next file is a photo of goods received
    RECEIPT_ALL = "ra"  # ra:<round>:<coop>: all of the coop's bill arrived (treasurer.receipt)
    RECAP_PRODUCTS = "arp"  # arp:<round>: every product's totals in full (admin.recap)
    RECAP_WAITING = "arw"  # arw:<round>: every coop that has not ordered, in full
    NUDGE = "ain"  # ain:<round>: nudge the coops that have not ordered (admin.nudges)
    # A round made step by step (handlers.admin.round_steps): rn starts the questions, rl
    # starts from the newest round's products and policy, rw:<token>:<choice> answers a step
    # (choice: all, drop, e24, e48, skip, open, draft, stop; token: this admin's own steps)
    ROUND_STEPS_NEW = "rn"
    ROUND_STEPS_COPY = "rl"
    ROUND_STEP = "rw"
    SHOW_HELD = "ws"  # ws: show the messages held back on WhatsApp (bot.whatsapp, no handler)


# Verbs a transport answers itself, before the conversation sees the event.
TRANSPORT_VERBS = frozenset({Verb.SHOW_HELD})

MAX_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_+=.-]{0,32}$")
_VERB = re.compile(r"^[a-z]{1,3}$")
_VERBS = frozenset(Verb)


class ForgedPayload(Exception):
    """A payload that no button of ours could have sent."""


@dataclass(frozen=True, slots=True)
class Payload:
    verb: Verb
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


def encode(verb: Verb, *args: object) -> str:
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
    if verb not in _VERBS or not all(_ARG.match(arg) for arg in args):
        raise ForgedPayload(data)
    return Payload(Verb(verb), tuple(args))
