"""A coop's bill of a closed round, shown again on request (`/pesanan` when no round is
open, or the "my order" button of a round that has closed since): the same `summary_bill`
the treasurer got at close, computed from the round's outcome."""

from __future__ import annotations

from handlers.flow import Turn
from handlers.replies import Reply
from handlers.services import Services
from handlers.summary_contexts import bill_context
from purchasing.model import Round, RoundStatus
from storage import rounds


async def last_closed_bill(services: Services, turn: Turn, coop: str) -> Reply | None:
    """The coop's bill of the most recently closed round; None if it ordered nothing there."""
    closed = await rounds.list_rounds(services.db, RoundStatus.CLOSED)
    return await closed_bill(services, turn, closed[0], coop) if closed else None


async def closed_bill(services: Services, turn: Turn, round_: Round, coop: str) -> Reply | None:
    outcome = await rounds.load_outcome(services.db, round_.id)
    bill = next((bill for bill in outcome.bills if bill.coop_code == coop), None)
    if bill is None:
        return None
    products = {product.product_code: product for product in outcome.products}
    return turn.reply("summary_bill", bill_context(round_, bill, products))
