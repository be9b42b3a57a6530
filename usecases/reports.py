"""Reports across closed rounds for the Dinas (`belanja-bareng report ...`): read what the
closes stored in one snapshot (`storage.reports`), compute the report (`purchasing.reports`).
Read-only: nothing is written or queued."""

from __future__ import annotations

from datetime import tzinfo

from purchasing.reports import (
    DEFAULT_LAST_ROUNDS,
    CoopReport,
    SavingsReport,
    coop_activity,
    savings_report,
)
from purchasing.times import WIB
from storage import reports
from storage.database import Connection


async def savings(conn: Connection, zone: tzinfo = WIB) -> SavingsReport:
    """The network's savings per closed round, per month of the close (in `zone`, the
    office's) and in total."""
    return savings_report(await reports.closed_round_lines(conn), zone)


async def coop_participation(
    conn: Connection, last_rounds: int = DEFAULT_LAST_ROUNDS
) -> CoopReport:
    """Each current coop's participation in the last `last_rounds` closed rounds."""
    rounds, coops = await reports.coop_histories(conn)
    return coop_activity(rounds, coops, last_rounds)
