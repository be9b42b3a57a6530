"""Staff close a round early while treasurers are still ordering. The round takes no order
from the moment staff confirm (`RoundClosing`), then the close computes its outcome before
its transaction; orders accepted before that must not be lost from the bills."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from purchasing.errors import RoundClosing, RoundNotOpen
from purchasing.model import CommitmentChange
from storage.commitment_reads import commitments_for_round
from storage.database import Database
from storage.round_results import stored_bill, stored_results
from tests.support.builders import NOW
from tests.support.storage_builders import COOPS, seed_open_round
from tests.support.use_case_steps import close_round, set_commitment

LATER = NOW + timedelta(hours=1)


async def test_orders_that_race_an_early_close_are_either_refused_or_on_the_bill(
    db: Database,
) -> None:
    round_ = await seed_open_round(db)
    for coop in COOPS:  # a round with orders already in it
        await set_commitment(
            db, round_id=round_.id, coop_code=coop.code, product_code="GLP1", quantity=2,
            actor="telegram:1", via="telegram", now=LATER,
        )  # fmt: skip

    async def order(coop: str, product: str, quantity: int) -> CommitmentChange | None:
        try:
            return await set_commitment(
                db, round_id=round_.id, coop_code=coop, product_code=product,
                quantity=quantity, actor="telegram:1", via="telegram", now=LATER,
            )  # fmt: skip
        except (RoundClosing, RoundNotOpen):
            return None  # too late: staff are closing it, or it closed

    closing = asyncio.create_task(close_round(db, round_.id, LATER, force=True))
    answers = []
    for n in range(10_000):  # treasurers keep ordering until they are told it closed
        code, product = COOPS[n % len(COOPS)].code, ("GLP1", "MIE1")[n % 2]
        answers.append(await order(code, product, 3 + n))
        if answers[-1] is None:
            break
    outcome = await closing

    assert outcome is not None
    assert answers[0] is not None and answers[-1] is None  # the close came in the middle
    lines = await commitments_for_round(db, round_.id)
    results = {result.product_code: result for result in await stored_results(db, round_.id)}
    for product in ("GLP1", "MIE1"):  # the close counted every order accepted before it
        asked = sum(line.quantity for line in lines if line.product_code == product)
        assert results[product].total_asked == asked
    for coop in COOPS:
        bill = await stored_bill(db, round_, coop.code)
        assert bill is not None
        ordered = {
            line.product_code: line.quantity for line in lines if line.coop_code == coop.code
        }
        assert {line.product_code: line.asked for line in bill.bill.lines} == ordered
    assert {bill.coop_code: bill.total for bill in outcome.bills} == {
        coop.code: (await stored_bill(db, round_, coop.code)).bill.total  # type: ignore[union-attr]
        for coop in COOPS
    }
