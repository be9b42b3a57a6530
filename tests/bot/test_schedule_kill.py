"""A real bot process killed with SIGKILL in the middle of closing a round (in the close's
transaction, or while it writes the bills after it), then started again on the same
database file: the round closes once, with every bill queued once."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from purchasing.model import RoundStatus
from storage import rounds
from storage.commitment_reads import commitments_for_round, coops_with_orders
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import HELD_UNTIL
from storage.round_results import stored_results
from tests.support import REPOSITORY
from tests.support.bot_process import kill_now
from tests.support.fixtures.schedule import queued

ROOT = REPOSITORY
COOPS = 600


async def child(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.close_child", *args,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def holds_write_lock(db_path: Path) -> bool:
    """Whether another connection is in a write transaction on the file right now."""
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


async def test_a_bot_killed_while_closing_a_round_closes_it_once_after_a_restart(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    seeding = await child("--db", str(db_path), "--seed-coops", str(COOPS))
    _, errors = await asyncio.wait_for(seeding.communicate(), timeout=120)
    assert seeding.returncode == 0, errors.decode()

    first = await child("--db", str(db_path))
    try:
        assert first.stdout is not None
        line = await asyncio.wait_for(first.stdout.readline(), timeout=30)
        assert line == b"sweeping\n"
        for _ in range(1_000_000):  # until the close transaction holds the file
            if holds_write_lock(db_path) or first.returncode is not None:
                break
            await asyncio.sleep(0)  # a yield, not a wait: lets the loop see the exit
    finally:
        kill_now(first)
        await asyncio.wait_for(first.wait(), timeout=10)
    assert first.returncode == -9

    async with open_database(db_path) as db:
        round_ = (await rounds.list_rounds(db))[0]
        summaries = await queued(db, "summary")
    # Killed inside the close transaction (as the lock probe saw it): nothing of it was kept.
    # Should the kill ever land just after the commit, all of it must be there instead.
    assert (round_.status, summaries == []) in {
        (RoundStatus.OPEN, True),
        (RoundStatus.CLOSED, False),
    }

    second = await child("--db", str(db_path))
    out, errors = await asyncio.wait_for(second.communicate(), timeout=120)
    assert second.returncode == 0, errors.decode()
    assert out == b"sweeping\ndone\n"

    async with open_database(db_path) as db:
        closed = await rounds.get_round(db, round_.id)
        ordered = await coops_with_orders(db, round_.id)
        bills = await queued(db, "summary_bill")
        results = {r.product_code: r for r in await stored_results(db, round_.id)}
        lines = await commitments_for_round(db, round_.id)
    assert closed is not None and closed.status is RoundStatus.CLOSED
    assert sorted(bill.chat_id for bill in bills) == sorted(code[3:] for code in ordered)
    for code, result in results.items():
        assert result.total_asked == sum(c.quantity for c in lines if c.product_code == code)


def close_stage(db_path: Path) -> tuple[str, int]:
    """(the round's status, how many bills wait to be written), read beside the writer."""
    probe = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
    try:
        [(status,)] = probe.execute("SELECT status FROM rounds")
        [(held,)] = probe.execute(
            "SELECT COUNT(*) FROM outbox WHERE next_attempt_at = ?", (HELD_UNTIL,)
        )
    finally:
        probe.close()
    return str(status), int(held)


async def test_a_bot_killed_while_writing_the_bills_writes_the_rest_once_after_a_restart(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    seeding = await child("--db", str(db_path), "--seed-coops", str(COOPS))
    _, errors = await asyncio.wait_for(seeding.communicate(), timeout=120)
    assert seeding.returncode == 0, errors.decode()

    first = await child("--db", str(db_path), "--bills-per-transaction", "5")
    try:
        assert first.stdout is not None
        line = await asyncio.wait_for(first.stdout.readline(), timeout=30)
        assert line == b"sweeping\n"
        for _ in range(1_000_000):  # until the round is closed and some bills are written
            stage = close_stage(db_path)
            if (stage[0] == "closed" and 0 < stage[1] < COOPS) or first.returncode is not None:
                break
            await asyncio.sleep(0)  # a yield, not a wait: lets the loop see the exit
    finally:
        kill_now(first)
        await asyncio.wait_for(first.wait(), timeout=10)
    assert first.returncode == -9
    assert stage[0] == "closed" and 0 < stage[1] < COOPS  # the plug was pulled in between

    second = await child("--db", str(db_path))
    _, errors = await asyncio.wait_for(second.communicate(), timeout=120)
    assert second.returncode == 0, errors.decode()

    async with open_database(db_path) as db:
        round_ = (await rounds.list_rounds(db))[0]
        ordered = await coops_with_orders(db, round_.id)
        bills = await queued(db, "summary_bill")
        still_held = await outbox.held_messages(db, "summary:", 10)
    assert still_held == []
    # One bill per coop that ordered, each written out (a message, its PDF), none twice.
    assert sorted(bill.chat_id for bill in bills) == sorted(code[3:] for code in ordered)
    assert {bill.payload["template"] for bill in bills} == {"summary_bill"}
    assert all(bill.payload["context"]["lines"] for bill in bills)
