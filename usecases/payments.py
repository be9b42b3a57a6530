"""Money received against the bills of closed rounds.

`import_statement` is `belanja-bareng payments import FILE`: the bank statement is read
(`spreadsheets.statement`), its credits matched to the bills without guessing
(`purchasing.settlement.match_credits`), and in ONE transaction each matched credit is
recorded and the coop's treasurers are told it arrived. A credit recorded before (the same
statement imported again, or one that overlaps) is recognised by its line and skipped, so
importing twice changes nothing. `outstanding` lists the bills still owing.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from purchasing.settlement import BillDue, CreditMatch, MatchKind, StatementLine, match_credits
from spreadsheets.statement import read_statement
from storage import payments
from storage.database import Connection
from storage.people.audience import load_audience
from usecases.context import UseCaseContext
from usecases.notices.posts import Post, queue_posts, to_treasurers

SOURCE_STATEMENT = "statement"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What one statement did: the credits matched and recorded, and those left for a
    person to sort out; `repeated` lines were recorded by an earlier import."""

    file: str
    matches: list[CreditMatch]
    repeated: int
    debits: int

    def of(self, kind: MatchKind) -> list[CreditMatch]:
        return [match for match in self.matches if match.kind is kind]

    def context(self) -> dict[str, object]:
        """What the chat's and the command line's "statement imported" texts show."""
        return {
            "file": self.file,
            "paid": self.of(MatchKind.PAID),
            "already_paid": self.of(MatchKind.ALREADY_PAID),
            "ambiguous": self.of(MatchKind.AMBIGUOUS),
            "unmatched": self.of(MatchKind.UNMATCHED),
            "repeated": self.repeated,
            "debits": self.debits,
        }


async def import_statement(
    ctx: UseCaseContext, path: Path, name: str, recorded_by: str
) -> Reconciliation:
    """Raises ImportFailed (nothing recorded) when the file cannot be read."""
    lines = await asyncio.to_thread(read_statement, path, name)
    keys = _line_keys(lines)
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        seen = await payments.recorded_keys(tx, list(keys.values()))
        fresh = [line for line in lines if keys[line.line_no] not in seen and line.amount > 0]
        matches = match_credits(fresh, await payments.bills_due(tx))
        paid = [match for match in matches if match.kind is MatchKind.PAID]
        for match in paid:
            assert match.bill is not None
            line = match.line
            await payments.record_payment(
                tx, match.bill, line.amount, line.on, line.description, SOURCE_STATEMENT,
                keys[line.line_no], recorded_by, now,
            )  # fmt: skip
        await queue_posts(tx, await _receipts(tx, paid, keys, ctx.default_language), now)
    repeated = sum(1 for line in lines if keys[line.line_no] in seen)
    debits = sum(1 for line in lines if line.amount < 0)
    return Reconciliation(name, matches, repeated, debits)


async def outstanding(conn: Connection, round_id: int | None = None) -> list[BillDue]:
    """The bills of closed rounds (or of one) with money still owed, oldest round first."""
    return [bill for bill in await payments.bills_due(conn, round_id) if not bill.settled]


def _line_keys(lines: Sequence[StatementLine]) -> dict[int, str]:
    """A key per line that names the credit itself, not the file: two identical lines of one
    statement are two transfers, the same line in a later export is the same transfer."""
    keys: dict[int, str] = {}
    count: Counter[tuple[str, str, int]] = Counter()
    for line in lines:
        what = (line.on.isoformat(), " ".join(line.description.split()), line.amount)
        count[what] += 1
        text = "|".join((*map(str, what), str(count[what])))
        keys[line.line_no] = hashlib.sha256(text.encode()).hexdigest()[:32]
    return keys


async def _receipts(
    conn: Connection, paid: Sequence[CreditMatch], keys: dict[int, str], default_language: str
) -> list[Post]:
    """Tell each paying coop's treasurers that the money arrived and what is left."""
    if not paid:
        return []
    audience = await load_audience(conn)
    posts = []
    for match in paid:
        bill = match.bill
        assert bill is not None
        context = {
            "number": bill.number,
            "round_name": bill.round_name,
            "coop_name": bill.coop_name,
            "amount": match.line.amount,
            "paid_on": match.line.on.isoformat(),
            "balance": bill.balance,
        }
        key = f"payment:{keys[match.line.line_no]}"
        posts += to_treasurers(
            audience, bill.coop_code, "payment_received", context, key, default_language
        )
    return posts
