"""A sheet of orders: orders phoned in or collected on paper, loaded as one batch.

`record_order_sheet` is `belanja-bareng order --file FILE ROUND` and a `pesanan-*.csv` sent
in the admin's chat alike. The file is read first (`spreadsheets.orders.read_order_sheet`,
off the event loop: a bad row refuses the file); then, in ONE transaction, each coop's
lines go through `usecases.ordering.apply_quantities`, the same judging and audit rows as
every typed order, and the group's progress posts are queued
(`usecases.ordering.queue_progress`). Any line the round refuses (an unknown or retired
coop, a product not in the round, over the coop maximum, the round not open) rolls the
whole sheet back: `OrderSheetRefused` names every refused row.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from purchasing.errors import ExplainedError, PurchasingError
from purchasing.model import CommitmentChange
from spreadsheets.orders import SheetOrder, read_order_sheet
from storage.commitment_reads import totals_for_round
from storage.commitments import Audit
from usecases.context import UseCaseContext
from usecases.notices.announcements import Milestone
from usecases.ordering import apply_quantities, queue_progress

VIA = "sheet"


class OrderSheetRefused(ExplainedError):
    """The round refused some rows of a sheet, so none was recorded.

    Params: file (str), count (int), refusals (list of {line_no, raw, key, params}, what
    `order_refusal.j2` shows: the row, its cells and the domain error's template).
    """

    key = "order_sheet_refused"


@dataclass(frozen=True, slots=True)
class CoopOrders:
    """One coop's lines of the sheet, as recorded."""

    coop_code: str
    changes: list[CommitmentChange]

    @property
    def changed(self) -> list[CommitmentChange]:
        return [change for change in self.changes if change.changed]


@dataclass(frozen=True, slots=True)
class SheetRecorded:
    file: str
    round_id: int
    coops: list[CoopOrders]

    @property
    def lines(self) -> int:
        return sum(len(coop.changes) for coop in self.coops)

    def context(self) -> dict[str, object]:
        """What the chat's and the command line's "orders recorded" texts show."""
        return {
            "file": self.file,
            "round_id": self.round_id,
            "lines": self.lines,
            "unchanged": sum(len(c.changes) - len(c.changed) for c in self.coops),
            "coops": self.coops,
        }


def sheet_audit(actor: str, message_id: str = "") -> Audit:
    """How the audit log names a change from a sheet: who loaded it, through "sheet"."""
    return Audit(actor, VIA, message_id)


async def record_order_sheet(
    ctx: UseCaseContext, round_id: int, path: Path, name: str, audit: Audit
) -> SheetRecorded:
    """Read the sheet in `path` (called `name`) and record it in round `round_id`. Raises
    ImportFailed (a bad row), OrderSheetRefused (a row the round refuses) or UnknownRound;
    then nothing is recorded."""
    orders = await asyncio.to_thread(read_order_sheet, path, name)
    return await record_orders(ctx, round_id, name, orders, audit)


async def record_orders(
    ctx: UseCaseContext, round_id: int, file: str, orders: list[SheetOrder], audit: Audit
) -> SheetRecorded:
    """Set every coop's quantities of `orders` in ONE transaction, all or nothing."""
    by_coop: dict[str, list[SheetOrder]] = {}
    for order in orders:
        by_coop.setdefault(order.coop_code, []).append(order)
    now = ctx.now()
    refusals: list[tuple[SheetOrder, PurchasingError]] = []
    recorded: list[CoopOrders] = []
    reached: list[Milestone] = []
    async with ctx.db.transaction() as tx:
        totals = await totals_for_round(tx, round_id)  # kept up to date as coops are written
        for coop_code, lines in by_coop.items():
            quantities = [(line.product_code, line.quantity) for line in lines]
            try:
                applied = await apply_quantities(
                    tx, round_id, coop_code, quantities, audit, now, totals=totals
                )
            except PurchasingError as error:  # an unknown or retired coop: all its rows
                refusals += [(line, error) for line in lines]
                continue
            refusals += [
                (line, result)
                for line, result in zip(lines, applied.results, strict=True)
                if isinstance(result, PurchasingError)
            ]
            changes = [r for r in applied.results if isinstance(r, CommitmentChange)]
            recorded.append(CoopOrders(coop_code, changes))
            reached += applied.reached
        if refusals:
            raise sheet_refused(file, refusals)  # rolls the transaction back
        await queue_progress(ctx, tx, round_id, reached, now)
    return SheetRecorded(file, round_id, recorded)


def sheet_refused(
    file: str, refusals: list[tuple[SheetOrder, PurchasingError]]
) -> OrderSheetRefused:
    """The error naming every refused row, in row order."""
    shown = [
        {
            "line_no": line.row,
            "raw": f"{line.coop_code} {line.product_code} {line.quantity}",
            "key": error.key,
            "params": error.params,
        }
        for line, error in sorted(refusals, key=lambda refusal: refusal[0].row)
    ]
    return OrderSheetRefused(file=file, count=len(shown), refusals=shown)
