"""`usecases.nudges.nudge_coops`: two admins nudging at the same moment nudge each coop once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from purchasing.model import Rep
from storage import nudges
from storage.delivery import outbox
from storage.people import reps
from tests.support.builders import NOW
from tests.support.storage_builders import database_at, place_order, seed_open_round
from tests.support.use_case_steps import acting_at
from usecases.nudges import nudge_coops


async def test_two_admins_nudging_at_once_nudge_each_coop_once(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        round_ = await seed_open_round(db)
        for n, coop in enumerate(("KOP01", "KOP02", "KOP03")):
            await reps.add_rep(db, Rep("telegram", f"10{n}", coop, display_name="Bu Ani"), NOW)
        await place_order(db, round_, "KOP01", "GLP1", 2)

        first, second = await asyncio.gather(
            nudge_coops(acting_at(db, NOW), "telegram:9001"),
            nudge_coops(acting_at(db, NOW), "telegram:9002"),
        )

        nudged = sorted(coop.code for coop in first.nudged + second.nudged)
        assert nudged == ["KOP02", "KOP03"]
        assert sorted(skip.coop.code for skip in first.skipped + second.skipped) == nudged
        assert {c.code for c in first.without_treasurer} == {"KOP04", "KOP05"}
        due = await outbox.due_messages(db, NOW)
        assert sorted(m.chat_id for m in due if m.kind == "nudge") == ["101", "102"]
        assert await nudges.last_nudged(db, round_.id) == {"KOP02": NOW, "KOP03": NOW}
