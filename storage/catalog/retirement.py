"""Retiring coops and products, and bringing them back.

Nothing is ever deleted: a coop that left the JUK or last month's product is *retired*
(`retire_coops`, `retire_products`; `restore_*` undoes it, and so does importing the row
again, since an import says "this is the catalog now" for the rows it lists). Retired rows
stay in the tables, so past rounds, bills and exports keep them. Which reads skip them:

- the default product list of a new round (`list_products(include_retired=False)`, used by
  `/putaran baru` and `round create` without products); naming a retired product for a
  round, or opening a draft that has one, raises ProductRetired
  (`purchasing.rounds.offered_products`);
- the coops a close counts as invited and `/rekap` lists as not ordered yet
  (`storage.round_parties.current_parties`), except a retired coop that already ordered in
  that round: its order stands and it gets its bill;
- ordering for a retired coop (CoopRetired from `storage.commitments`), and creating or
  redeeming an invite for one (CoopRetired from `storage.people.invites`).

Everything else reads them like any other row (names on old bills, reminders' coop names,
`list_coops` / `list_products` by default). The command line lists the current ones and
then the retired ones apart (`retired_coops`, `retired_products`). The reps of a retired
coop hear no more announcements or reminders (`storage.people.reps.CURRENT_COOP`,
`Audience.retired_coops`) but still get the bill of a round the coop ordered in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from purchasing.errors import PurchasingError, UnknownCoop, UnknownProduct
from storage.catalog.reads import CatalogTable, RetiredEntry, list_retired
from storage.database import Connection
from storage.encoding import to_db_time


async def retired_products(conn: Connection) -> list[RetiredEntry]:
    async with conn.snapshot() as snap:
        return await list_retired(snap, "products")


async def retired_coops(conn: Connection) -> list[RetiredEntry]:
    async with conn.snapshot() as snap:
        return await list_retired(snap, "coops")


@dataclass(frozen=True, slots=True)
class Switched:
    """What a retire or restore did: the codes it switched, and those that already were so
    (in the order given, each once)."""

    switched: tuple[str, ...]
    already: tuple[str, ...]


async def retire_products(conn: Connection, codes: Sequence[str], now: datetime) -> Switched:
    """Retire these products (UnknownProduct for the first unknown code: then none is)."""
    return await _switch(conn, "products", codes, to_db_time(now))


async def restore_products(conn: Connection, codes: Sequence[str]) -> Switched:
    """Make these retired products current again (UnknownProduct as `retire_products`)."""
    return await _switch(conn, "products", codes, None)


async def retire_coops(conn: Connection, codes: Sequence[str], now: datetime) -> Switched:
    """Retire these coops (UnknownCoop for the first unknown code: then none is)."""
    return await _switch(conn, "coops", codes, to_db_time(now))


async def restore_coops(conn: Connection, codes: Sequence[str]) -> Switched:
    """Make these retired coops current again (UnknownCoop as `retire_coops`)."""
    return await _switch(conn, "coops", codes, None)


async def _switch(
    conn: Connection,
    table: CatalogTable,
    codes: Sequence[str],
    retired_at: str | None,
) -> Switched:
    """Set `retired_at` (None: restore) of the rows of `codes` not already so, all or none.
    A row retired earlier keeps the time it was first retired."""
    wanted = list(dict.fromkeys(codes))
    marks = ", ".join("?" * len(wanted))
    async with conn.write() as tx:
        rows = await tx.fetch_all(
            f"SELECT code, retired_at IS NOT NULL AS retired FROM {table} WHERE code IN ({marks})",
            wanted,
        )
        retired = {row["code"]: bool(row["retired"]) for row in rows}
        for code in wanted:
            if code not in retired:
                raise _unknown(table, code)
        switching = [code for code in wanted if retired[code] is (retired_at is None)]
        await tx.execute_many(
            f"UPDATE {table} SET retired_at = ? WHERE code = ?",
            [(retired_at, code) for code in switching],
        )
    already = tuple(code for code in wanted if code not in switching)
    return Switched(tuple(switching), already)


def _unknown(table: CatalogTable, code: str) -> PurchasingError:
    if table == "products":
        return UnknownProduct(product_code=code)
    return UnknownCoop(coop_code=code)
