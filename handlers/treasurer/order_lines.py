"""An order of several lines for one coop, applied in one transaction, and the reply that
tells, line by line, what changed and what was refused and why, then the coop's estimated
total. Used by `/pesan`, pasted lists (`handlers.treasurer.ordering`) and `/ulang`
(`handlers.treasurer.my_order`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from handlers.contract.flow import Turn
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.errors import PurchasingError
from purchasing.estimate import CoopLine, estimate_of
from purchasing.model import CommitmentChange, Round
from purchasing.order_text import LineProblem, OrderLine, shorten
from storage.commitment_reads import coop_lines
from usecases.notices.reminders import estimate_context
from usecases.ordering import set_quantities


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
class LinesApplied:
    """What `apply_lines` did: the changes (in line order) and the refused lines; and what
    the coop's estimate depends on, read in the same transaction (for `result_reply`)."""

    changes: list[CommitmentChange]
    refusals: list[Refusal]
    lines: list[CoopLine] | None = None


async def apply_lines(
    services: Services,
    turn: Turn,
    round_: Round,
    coop_code: str,
    lines: Sequence[OrderLine],
    raw_by_line: dict[int, str],
) -> LinesApplied:
    """Set each line's quantity (`usecases.ordering.set_quantities`: one transaction); a
    refused line changes nothing and says why."""
    quantities = [(line.code, line.quantity) for line in lines]
    done = await set_quantities(
        services, round_.id, coop_code, quantities, turn.audit, with_lines=True
    )
    changes: list[CommitmentChange] = []
    refusals: list[Refusal] = []
    for line, result in zip(lines, done.results, strict=True):
        if isinstance(result, PurchasingError):
            refusals.append(_refusal(line, result, raw_by_line))
        else:
            changes.append(result)
    return LinesApplied(changes, refusals, done.lines)


def _refusal(line: OrderLine, error: PurchasingError, raw_by_line: dict[int, str]) -> Refusal:
    raw = shorten(line.raw or raw_by_line.get(line.line_no, line.code))
    return Refusal(line.line_no, raw, error.key, error.params)


async def result_reply(
    services: Services,
    turn: Turn,
    round_: Round,
    coop_code: str,
    changes: Sequence[CommitmentChange],
    refusals: Sequence[Refusal],
    lines: Sequence[CoopLine] | None = None,
) -> Reply:
    """What changed, what was refused and why, and the coop's estimate: from `lines` (as
    `apply_lines` read them with the order), else read now."""
    if lines is None:
        lines = await coop_lines(services.db, round_.id, coop_code)
    estimate = estimate_of(round_, coop_code, lines)
    context = {
        "round": round_,
        "coop_code": coop_code,
        "coop_name": turn.person.coop_name(coop_code),  # read with who sent the update
        "changes": [change for change in changes if change.changed],
        "unchanged": [change for change in changes if not change.changed],
        "refusals": sorted(refusals, key=lambda refusal: refusal.line_no),
        "estimate": estimate_context(estimate),  # what is sure, what is at risk
    }
    return turn.reply("order_result", context)
