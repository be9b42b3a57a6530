"""Ordering by text: `/pesan` and pasted lists (any private text that is not a command; a
number typed after "type a number" goes to `handlers.treasurer.quantity_buttons` first), each
line naming a product by code or by name in the treasurer's words ("beras sphp 12 karung",
`purchasing.order_text`). A line whose words fit several products changes nothing and is
asked about with one button per product (`handlers.treasurer.order_choice`).

Every change goes through `storage.commitments` for the coop the person acts for, audited
with their chat; the lines are applied and answered by `handlers.treasurer.order_lines`. Text that
holds no order line at all gets a short "how to order", never silence.
"""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.catalog import no_round_reply
from handlers.treasurer.order_choice import catalog_entries, question_reply
from handlers.treasurer.order_lines import Refusal, apply_lines, result_reply
from handlers.treasurer.quantity_buttons import typed_quantity
from messages.buttons import Verb
from messages.replies import Reply
from purchasing.errors import LineNotUnderstood
from purchasing.model import Round
from purchasing.order_text import parse_order_lines
from purchasing.product_match import ProductMatcher, shortest_name
from purchasing.rounds import check_takes_orders
from storage import rounds


async def order_command(services: Services, turn: Turn) -> list[Reply]:
    """`/pesan KODE JUMLAH` (one line or several)."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn, unrecorded=True)
    return await _order_text(services, turn, coop, turn.args)


async def free_text(services: Services, turn: Turn) -> list[Reply]:
    """Any private text that is not a command: a typed quantity, or an order list."""
    typed = await typed_quantity(services, turn)
    if typed is not None:
        return typed
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn, unrecorded=_has_number(turn.args))
    return await _order_text(services, turn, coop, turn.args)


def _has_number(text: str) -> bool:
    """Whether a text could be an order (it names a quantity), not "terima kasih"."""
    return any(character.isdigit() for character in text)


async def _order_text(services: Services, turn: Turn, coop: str, text: str) -> list[Reply]:
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn, unrecorded=_has_number(text))]
    matcher = matcher_for(round_)
    units = {item.product_code: item.unit for item in round_.items}
    parsed = parse_order_lines(text, units, matcher)
    not_understood = all(isinstance(p.error, LineNotUnderstood) for p in parsed.problems)
    if not parsed.lines and not parsed.questions and not_understood:
        return [howto_reply(turn, round_, matcher)]
    check_takes_orders(round_, services.now())
    replies: list[Reply] = []
    if parsed.lines or parsed.problems:
        raw_by_line = dict(enumerate((line.strip() for line in text.splitlines()), start=1))
        applied = await apply_lines(services, turn, round_, coop, parsed.lines, raw_by_line)
        refusals = applied.refusals + [Refusal.of(problem) for problem in parsed.problems]
        reply = await result_reply(
            services, turn, round_, coop, applied.changes, refusals, applied.lines
        )
        replies.append(reply)
    replies.extend(question_reply(turn, round_, coop, question) for question in parsed.questions)
    return replies


def howto_reply(turn: Turn, round_: Round, matcher: ProductMatcher | None = None) -> Reply:
    """How to order, with examples from this round: by code and by the shortest name that
    finds the product."""
    examples = list(round_.items[:2])
    matcher = matcher or matcher_for(round_)
    entries = {entry.code: entry for entry in matcher.entries}
    names = [shortest_name(matcher, entries[item.product_code]) for item in examples]
    return turn.reply("order_howto", {"round": round_, "examples": examples, "names": names})


_MATCHERS: dict[int, tuple[Round, ProductMatcher]] = {}
_MATCHERS_KEPT = 4


def matcher_for(round_: Round) -> ProductMatcher:
    """The index of the round's product names, built once per `Round` value (the round cache
    hands out the same value until the round changes; at 1,000 products building it takes
    about 10 ms, `bench.order_match`) instead of once per message."""
    found = _MATCHERS.get(id(round_))
    if found is not None and found[0] is round_:
        return found[1]
    matcher = ProductMatcher(catalog_entries(round_))
    if len(_MATCHERS) >= _MATCHERS_KEPT:
        _MATCHERS.clear()
    _MATCHERS[id(round_)] = (round_, matcher)
    return matcher


COMMANDS: dict[str, Handler] = {"pesan": order_command, "order": order_command}
CALLBACKS: dict[Verb, Handler] = {}
