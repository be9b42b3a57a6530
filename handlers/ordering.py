"""Ordering: quantity buttons, a typed quantity, `/pesan`, and pasted `KODE JUMLAH` lists.

Every change goes through `storage.commitments.set_commitment` for the coop the person acts
for, audited with their chat. A pasted list is applied line by line: the reply says what
changed (old → new) and why each other line was refused, then the coop's estimated total.
Text that holds no order line at all gets a short "how to order", never silence.

"t:<round>:<code>" stores {"expect": "quantity", ...} in `storage.conversations`; the next
plain number (within QUANTITY_STATE_TTL) sets that product's quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from handlers import join
from handlers.announcements import announce_progress
from handlers.catalog import (
    check_open,
    coop_quantity,
    no_round_reply,
    product_reply,
    require_open_round,
)
from handlers.flow import Handler, Turn
from handlers.payloads import ForgedPayload, encode
from handlers.replies import Option, Reply
from handlers.services import Services
from purchasing.errors import (
    LineNotUnderstood,
    ProductNotInRound,
    PurchasingError,
    UnitMismatch,
    UnknownProduct,
)
from purchasing.model import Round
from purchasing.order_text import LineProblem, OrderLine, parse_order_lines, shorten
from purchasing.progress import ProductProgress, product_progress
from storage import conversations, rounds
from storage.catalog import list_products
from storage.commitments import (
    CommitmentChange,
    OrderedProduct,
    ordered_with_totals,
    set_commitment,
    set_commitments,
)

QUANTITY_STATE_TTL = timedelta(minutes=30)
STEPS = {"+1": 1, "+5": 5, "+10": 10}


@dataclass(frozen=True, slots=True)
class Refusal:
    """An order line that changed nothing; `key` and `params` name its errors/<key> template."""

    line_no: int
    raw: str
    key: str
    params: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, problem: LineProblem) -> Refusal:
        return cls(problem.line_no, problem.raw_text, problem.error.key, problem.error.params)


@dataclass(frozen=True, slots=True)
class CoopLine:
    """One product a coop ordered, priced at the tier the round's total reaches so far."""

    progress: ProductProgress
    quantity: int

    @property
    def subtotal(self) -> int:
        return self.quantity * self.progress.unit_price

    @property
    def saving(self) -> int:
        return self.quantity * self.progress.saving_per_unit


@dataclass(frozen=True, slots=True)
class LinesApplied:
    """What `apply_lines` did: the changes (in line order), the refused lines, and the coop's
    ordered products right after (None when no line reached storage)."""

    changes: list[CommitmentChange]
    refusals: list[Refusal]
    ordered: list[OrderedProduct] | None


async def coop_lines(
    services: Services,
    round_: Round,
    coop_code: str,
    ordered: Sequence[OrderedProduct] | None = None,
) -> list[CoopLine]:
    """The coop's lines, from `ordered` when the caller has just read it."""
    if ordered is None:
        ordered = await ordered_with_totals(services.db, round_.id, coop_code)
    by_code = {line.product_code: line for line in ordered}
    return [
        CoopLine(product_progress(item, line.total), line.quantity)
        for item in round_.items
        if (line := by_code.get(item.product_code)) is not None
    ]


async def apply_lines(
    services: Services,
    turn: Turn,
    round_: Round,
    coop_code: str,
    lines: Sequence[OrderLine],
    raw_by_line: dict[int, str],
) -> LinesApplied:
    """Set each line's quantity (all in one transaction); a refused line changes nothing and
    says why. Progress toward volume prices is announced once, after every line."""
    refusals: list[Refusal] = []
    catalog_codes: set[str] | None = None
    taken: list[OrderLine] = []
    for line in lines:
        if round_.item(line.code) is not None:
            taken.append(line)
            continue
        if catalog_codes is None:
            catalog_codes = {p.code for p in await list_products(services.db)}
        error: PurchasingError = (
            UnknownProduct(product_code=line.code)
            if line.code not in catalog_codes
            else ProductNotInRound(product_code=line.code, round_name=round_.name)
        )
        refusals.append(_refusal(line, error, raw_by_line))
    if not taken:
        return LinesApplied([], refusals, None)
    event = turn.event
    applied = await set_commitments(
        services.db, round_id=round_.id, coop_code=coop_code,
        quantities=[(line.code, line.quantity) for line in taken], actor=event.actor,
        via=f"{event.platform}:{event.chat_id}", message_id=event.message_id, now=services.now(),
    )  # fmt: skip
    changes: list[CommitmentChange] = []
    for line, result in zip(taken, applied.results, strict=True):
        if isinstance(result, PurchasingError):
            refusals.append(_refusal(line, result, raw_by_line))
        else:
            changes.append(result)
    await announce_progress(services, round_.id, changes)
    return LinesApplied(changes, refusals, applied.ordered)


def _refusal(line: OrderLine, error: PurchasingError, raw_by_line: dict[int, str]) -> Refusal:
    raw = shorten(raw_by_line.get(line.line_no, line.code))
    return Refusal(line.line_no, raw, error.key, error.params)


async def _set(
    services: Services,
    turn: Turn,
    round_id: int,
    coop_code: str,
    code: str,
    quantity: int,
    *,
    relative: bool = False,
) -> CommitmentChange:
    """Set one quantity and announce the progress it made."""
    event = turn.event
    change = await set_commitment(
        services.db, round_id=round_id, coop_code=coop_code, product_code=code,
        quantity=quantity, actor=event.actor, via=f"{event.platform}:{event.chat_id}",
        message_id=event.message_id, now=services.now(), relative=relative,
    )  # fmt: skip
    await announce_progress(services, round_id, [change])
    return change


async def result_reply(
    services: Services,
    turn: Turn,
    round_: Round,
    coop_code: str,
    changes: Sequence[CommitmentChange],
    refusals: Sequence[Refusal],
    ordered: Sequence[OrderedProduct] | None = None,
) -> Reply:
    lines = await coop_lines(services, round_, coop_code, ordered)
    context = {
        "round": round_,
        "coop_code": coop_code,
        "changes": [change for change in changes if change.changed],
        "unchanged": [change for change in changes if not change.changed],
        "refusals": sorted(refusals, key=lambda refusal: refusal.line_no),
        "products": len(lines),
        "total": sum(line.subtotal for line in lines),
    }
    return turn.reply("order_result", context)


async def order_command(services: Services, turn: Turn) -> list[Reply]:
    """`/pesan KODE JUMLAH` (one line or several)."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    return await _order_text(services, turn, coop, turn.args)


async def free_text(services: Services, turn: Turn) -> list[Reply]:
    """Any private text that is not a command: a typed quantity, or an order list."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    typed = await _typed_quantity(services, turn, coop)
    if typed is not None:
        return typed
    return await _order_text(services, turn, coop, turn.args)


async def _order_text(services: Services, turn: Turn, coop: str, text: str) -> list[Reply]:
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    parsed = parse_order_lines(text, {item.product_code: item.unit for item in round_.items})
    if not parsed.lines and all(isinstance(p.error, LineNotUnderstood) for p in parsed.problems):
        return [howto_reply(turn, round_)]
    check_open(round_, services.now())
    raw_by_line = dict(enumerate((line.strip() for line in text.splitlines()), start=1))
    applied = await apply_lines(services, turn, round_, coop, parsed.lines, raw_by_line)
    refusals = applied.refusals + [Refusal.of(problem) for problem in parsed.problems]
    reply = await result_reply(
        services, turn, round_, coop, applied.changes, refusals, applied.ordered
    )
    return [reply]


def howto_reply(turn: Turn, round_: Round) -> Reply:
    examples = list(round_.items[:2])
    return turn.reply("order_howto", {"round": round_, "examples": examples})


async def _typed_quantity(services: Services, turn: Turn, coop: str) -> list[Reply] | None:
    """The quantity a person was asked to type (after "t:"), if this text is that number."""
    event = turn.event
    saved = turn.person.conversation
    if saved is None or saved.state.get("expect") != "quantity":
        return None
    await conversations.clear_state(services.db, event.platform, event.user_id)
    state = saved.state
    fresh = services.now() - saved.updated_at <= QUANTITY_STATE_TTL
    round_id, code = state.get("round_id"), state.get("product_code")
    if not (fresh and state.get("coop_code") == coop):
        return None
    if not (isinstance(round_id, int) and isinstance(code, str)) or "\n" in turn.args:
        return None
    round_ = await require_open_round(services, round_id)
    item = round_.item(code)
    if item is None:
        return None
    # Read as the line "CODE <text>", so "12", "1.000", "12 karung" and "12 dus" all work.
    parsed = parse_order_lines(f"{code} {turn.args}", {code: item.unit})
    mismatch = [p.error for p in parsed.problems if isinstance(p.error, UnitMismatch)]
    if mismatch:
        raise mismatch[0]
    if len(parsed.lines) != 1:
        return None
    change = await _set(services, turn, round_.id, coop, code, parsed.lines[0].quantity)
    return [await product_reply(services, turn, round_, code, change)]


async def step_quantity(services: Services, turn: Turn) -> list[Reply]:
    """ "q:<round>:<code>:+5" adds units, "q:<round>:<code>:=0" removes the product."""
    assert turn.payload is not None
    payload = turn.payload
    if len(payload.args) != 3 or (payload.args[2] not in STEPS and payload.args[2] != "=0"):
        raise ForgedPayload(payload)
    round_ = await require_open_round(services, payload.int_arg(0))
    code = payload.str_arg(1)
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    if round_.item(code) is None:
        raise ProductNotInRound(product_code=code, round_name=round_.name)
    step = STEPS.get(payload.args[2])
    change = await _set(services, turn, round_.id, coop, code, step or 0, relative=step is not None)
    return [replace(await product_reply(services, turn, round_, code, change), replace=True)]


async def ask_quantity(services: Services, turn: Turn) -> list[Reply]:
    """ "t:<round>:<code>": wait for the person to type a number for this product."""
    assert turn.payload is not None
    if len(turn.payload.args) != 2:
        raise ForgedPayload(turn.payload)
    round_ = await require_open_round(services, turn.payload.int_arg(0))
    code = turn.payload.str_arg(1)
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    item = round_.item(code)
    if item is None:
        raise ProductNotInRound(product_code=code, round_name=round_.name)
    state: dict[str, object] = {
        "expect": "quantity", "round_id": round_.id, "product_code": code, "coop_code": coop
    }  # fmt: skip
    event = turn.event
    await conversations.set_state(services.db, event.platform, event.user_id, state, services.now())
    current = await coop_quantity(services, round_.id, coop, code)
    reply = turn.reply("order_type_quantity", {"item": item, "current": current, "coop_code": coop})
    cancel = Option("buttons/order_cancel", payload=encode("x"))
    return [replace(reply, options=((cancel,),))]


async def cancel(services: Services, turn: Turn) -> list[Reply]:
    """ "x": close the menu and forget a quantity we were waiting for."""
    event = turn.event
    saved = await conversations.get_state(services.db, event.platform, event.user_id)
    if saved is not None and saved.state.get("expect") == "quantity":
        await conversations.clear_state(services.db, event.platform, event.user_id)
    return [replace(turn.reply("order_cancelled"), replace=True)]


COMMANDS: dict[str, Handler] = {"pesan": order_command, "order": order_command}
CALLBACKS: dict[str, Handler] = {"q": step_quantity, "t": ask_quantity, "x": cancel}
