"""A coop's bill of a closed round, shown again on request (`/pesanan` when no round is
open, or the "my order" button of a round that has closed since): the same `summary_bill`
the treasurer got at close, read back from what the close wrote down (one coop's rows, not
the whole round's outcome again)."""

from __future__ import annotations

from handlers.contract.flow import Turn
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.model import Round, Supplier
from purchasing.settlement import Payee
from storage import rounds
from storage.database import Database
from storage.round_parties import parties_for
from storage.round_results import stored_bill
from usecases.notices.summary_contexts import bill_context


async def last_closed_bill(services: Services, turn: Turn, coop: str) -> Reply | None:
    """The coop's bill of the most recently closed round; None if it ordered nothing there."""
    closed = await rounds.closed_rounds(services.db)
    return await closed_bill(services, turn, closed[0], coop) if closed else None


async def closed_bill(services: Services, turn: Turn, round_: Round, coop: str) -> Reply | None:
    stored = await stored_bill(services.db, round_, coop)
    if stored is None:
        return None
    payees = await round_payees(services.db, round_.id)
    return turn.reply("summary_bill", bill_context(round_, stored.bill, stored.products, payees))


async def round_payees(db: Database, round_id: int) -> dict[str, Supplier] | None:
    """The round's suppliers (as at its close) where its coops pay each directly, else None."""
    if await rounds.payee_of(db, round_id) is not Payee.SUPPLIER:
        return None
    return {supplier.code: supplier for supplier in (await parties_for(db, round_id)).suppliers}
