"""The coops and suppliers of a closed round as they were at close (table `round_parties`).

`close_round` keeps them in its one transaction (`keep_parties`), so the round's outcome and
exports (coops invited, coops that did not order, names on bills and purchase orders, the
supplier's bank account a bill names, migration 0014) stay as they were at close when coops
or suppliers are later imported, added or renamed.

`parties_for` is what an outcome is computed with: the kept lists when the round has them,
else the current catalog lists. "Else" means an open round (the outcome if it closed now) or
a round closed before migration 0005, which kept nothing and so shows today's names and
today's number of coops.

"The current coops" are those not retired (`storage.catalog.retirement.retire_coops`), plus
any retired coop that already ordered in the round: its order stands, so it is on the bills,
counted as invited, and listed as having ordered. A coop retired after a round closed stays
in that round's kept lists.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from purchasing.model import Coop, Supplier
from storage.catalog.reads import list_suppliers
from storage.database import Connection

_COOP = "coop"
_SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class RoundParties:
    """Who a round's outcome is about: every coop (all were invited) and every supplier."""

    coops: tuple[Coop, ...]
    suppliers: tuple[Supplier, ...]


async def current_parties(conn: Connection, round_id: int) -> RoundParties:
    """The coops and suppliers of the catalog now, by code: the coops not retired, and the
    retired ones that ordered in round `round_id` (their order stands: they get their bill).
    `close_round` passes the round it closes; `parties_for` an open round, or a round closed
    before migration 0005 that kept none."""
    rows = await conn.fetch_all(_TAKING_PART, (round_id,))
    return RoundParties(tuple(_coop(row) for row in rows), tuple(await list_suppliers(conn)))


# The OR stops at the first term for a current coop, so only retired ones look up orders
# (one probe of the commitments key (round_id, coop_code, ...) each).
_TAKING_PART = (
    "SELECT code, name, address, contact FROM coops WHERE retired_at IS NULL "
    "OR EXISTS (SELECT 1 FROM commitments WHERE coop_code = coops.code AND round_id = ?) "
    "ORDER BY code"
)


async def keep_parties(conn: Connection, round_id: int, parties: RoundParties) -> None:
    """Write `parties` down for a round being closed (one statement for all the rows)."""
    await conn.execute_many(
        "INSERT INTO round_parties (round_id, kind, code, name, address, contact, account) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        _rows(round_id, parties),
    )


async def parties_for(conn: Connection, round_id: int) -> RoundParties:
    """The parties kept at the round's close, or the current ones if it kept none."""
    rows = list(
        await conn.fetch_all(
            "SELECT kind, code, name, address, contact, account FROM round_parties "
            "WHERE round_id = ? ORDER BY kind, code",
            (round_id,),
        )
    )
    if not rows:
        return await current_parties(conn, round_id)
    return RoundParties(
        tuple(_coop(row) for row in rows if row["kind"] == _COOP),
        tuple(_supplier(row) for row in rows if row["kind"] == _SUPPLIER),
    )


async def coops_at_close(conn: Connection, round_id: int) -> list[Coop]:
    """The coops as they were when the round closed (the current ones for an open round or
    one closed before migration 0005), by code: for the round's exports."""
    async with conn.snapshot() as snap:
        return list((await parties_for(snap, round_id)).coops)


def _rows(round_id: int, parties: RoundParties) -> Iterable[tuple[object, ...]]:
    for coop in parties.coops:
        yield (round_id, _COOP, coop.code, coop.name, coop.address, coop.contact, "")
    for supplier in parties.suppliers:
        yield (
            round_id, _SUPPLIER, supplier.code, supplier.name, "", supplier.contact,
            supplier.account,
        )  # fmt: skip


def _coop(row: sqlite3.Row) -> Coop:
    return Coop(row["code"], row["name"], row["address"], row["contact"])


def _supplier(row: sqlite3.Row) -> Supplier:
    return Supplier(row["code"], row["name"], row["contact"], row["account"])
