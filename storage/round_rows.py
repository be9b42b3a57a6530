"""Reading and writing the rows of a round and its item snapshot (no rules here).

The use cases in `storage.rounds` and `storage.commitments` call these with the
connection of the transaction they are in. For the export of a big round, the round's
commitments are read a group of products at a time (`commitments_of_products`) and its
audit log is read as it is written out (`AuditLog`), so neither is held whole in memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from sys import intern

from purchasing.model import (
    AuditEntry,
    Commitment,
    MoqPolicy,
    PriceTier,
    Round,
    RoundItem,
    RoundStatus,
)
from storage.database import Connection, Database
from storage.encoding import dump_json, from_db_time, optional_db_time, optional_time, to_db_time
from storage.errors import UnknownRound


async def load_round(conn: Connection, round_id: int) -> Round | None:
    found = await load_rounds(conn, "id = ?", (round_id,))
    return found[0] if found else None


async def require_round(conn: Connection, round_id: int) -> Round:
    round_ = await load_round(conn, round_id)
    if round_ is None:
        raise UnknownRound(round_id=round_id)
    return round_


async def load_rounds(
    conn: Connection,
    where: str = "1 = 1",
    params: tuple[object, ...] = (),
    order_by: str = "id",
) -> list[Round]:
    """Rounds matching a SQL condition written by this package (never by a user)."""
    rows = list(
        await conn.fetch_all(f"SELECT * FROM rounds WHERE {where} ORDER BY {order_by}", params)
    )
    return [_round(row, await load_items(conn, row["id"])) for row in rows]


async def load_items(conn: Connection, round_id: int) -> tuple[RoundItem, ...]:
    rows = await conn.fetch_all(
        "SELECT * FROM round_items WHERE round_id = ? ORDER BY position", (round_id,)
    )
    return tuple(_item(row) for row in rows)


async def replace_items(conn: Connection, round_id: int, items: Iterable[RoundItem]) -> None:
    await conn.execute("DELETE FROM round_items WHERE round_id = ?", (round_id,))
    await conn.execute_many(
        "INSERT INTO round_items (round_id, product_code, position, name, supplier_code, unit, "
        "contents, market_price, tiers, moq, max_per_coop, supply_cap) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                round_id, item.product_code, position, item.name, item.supplier_code, item.unit,
                item.contents, item.market_price,
                dump_json([[tier.min_total, tier.unit_price] for tier in item.tiers]),
                item.moq, item.max_per_coop, item.supply_cap,
            )
            for position, item in enumerate(items)
        ],
    )  # fmt: skip


async def save_round(conn: Connection, round_: Round, *, expected: RoundStatus) -> bool:
    """Write a round's state if it is still in status `expected`; False if it was not."""
    cursor = await conn.execute(
        "UPDATE rounds SET name = ?, opens_at = ?, closes_at = ?, status = ?, delivery_note = ?, "
        "moq_policy = ?, extend_hours = ?, extended = ?, closed_at = COALESCE(?, closed_at), "
        "closing_since = COALESCE(?, closing_since), "
        "extended_at = COALESCE(?, extended_at), version = version + 1 "
        "WHERE id = ? AND status = ?",
        (
            round_.name, to_db_time(round_.opens_at), to_db_time(round_.closes_at),
            round_.status.value, round_.delivery_note, round_.moq_policy.value,
            round_.extend_hours, int(round_.extended),
            optional_db_time(round_.closed_at), optional_db_time(round_.closing_since),
            optional_db_time(round_.extended_at), round_.id, expected.value,
        ),
    )  # fmt: skip
    return cursor.rowcount == 1


def _round(row: sqlite3.Row, items: tuple[RoundItem, ...]) -> Round:
    return Round(
        id=row["id"],
        name=row["name"],
        opens_at=from_db_time(row["opens_at"]),
        closes_at=from_db_time(row["closes_at"]),
        status=RoundStatus(row["status"]),
        items=items,
        delivery_note=row["delivery_note"],
        moq_policy=MoqPolicy(row["moq_policy"]),
        extend_hours=row["extend_hours"],
        extended=bool(row["extended"]),
        closed_at=optional_time(row["closed_at"]),
        closing_since=optional_time(row["closing_since"]),
        extended_at=optional_time(row["extended_at"]),
    )


def _item(row: sqlite3.Row) -> RoundItem:
    return RoundItem(
        product_code=row["product_code"],
        name=row["name"],
        supplier_code=row["supplier_code"],
        unit=row["unit"],
        contents=row["contents"],
        market_price=row["market_price"],
        tiers=tuple(PriceTier(int(low), int(price)) for low, price in json.loads(row["tiers"])),
        moq=row["moq"],
        max_per_coop=row["max_per_coop"],
        supply_cap=row["supply_cap"],
    )


async def commitments_of_products(
    conn: Connection, round_id: int, product_codes: Sequence[str]
) -> list[Commitment]:
    """The round's commitments to these products, in no particular order (`compute_outcome`
    depends on none). Their rowids are found in the index by product, and the rows read in
    rowid order, the table's pages in turn (a province's round: a sixth less time than
    taking each row where the index lists it). Read as plain tuples and made into
    commitments in the same trip to SQLite's thread, not through `sqlite3.Row` on a worker
    thread after it: the event loop never waits for them, but the connection is held while
    they are made (~70 ms per 30,000 rows), so in the running bot another chat's statement
    waits that long (a supplier's purchase order, `bot.documents`); the close runs in a child.
    Codes and names that repeat from row to row are kept once (`sys.intern`): a round of
    10,000 coops has 300,000 rows but only 10,000 coop codes."""
    if not product_codes:
        return []
    marks = ", ".join("?" * len(product_codes))
    sql = (
        "SELECT coop_code, product_code, quantity, actor, created_at, updated_at "
        "FROM commitments WHERE rowid IN (SELECT rowid FROM commitments "
        f"WHERE round_id = ? AND product_code IN ({marks}))"
    )
    async with conn.snapshot() as snap:
        return await snap.in_one_trip(
            partial(_read_commitments, sql, (round_id, *product_codes), round_id)
        )


async def commitments_among(
    conn: Connection, round_id: int, first: int, last: int
) -> list[Commitment]:
    """The round's commitments among rowids `first` to `last` (where they all lie, as
    `round_results.commitment_rows` reads it), in the table's order: each page read once
    and no index, about 40% less time than through the index by product (`sqlite3.Row`
    aside). Made into commitments as `commitments_of_products` makes them."""
    sql = (
        "SELECT coop_code, product_code, quantity, actor, created_at, updated_at "
        "FROM commitments WHERE rowid BETWEEN ? AND ? AND +round_id = ?"
    )
    async with conn.snapshot() as snap:
        return await snap.in_one_trip(
            partial(_read_commitments, sql, (first, last, round_id), round_id)
        )


def _read_commitments(
    sql: str, params: tuple[object, ...], round_id: int, conn: sqlite3.Connection
) -> list[Commitment]:
    """On SQLite's thread: the rows of `sql` as commitments of the round `round_id`. Each
    time is parsed where it is read (`from_db_time` is cheaper than looking it up among the
    group's other times: they are seldom the same), once when it was never updated."""
    cursor = conn.cursor()
    cursor.row_factory = None  # tuples: a row unpacked, not looked up by name six times
    found = []
    for coop, product, quantity, actor, created, updated in cursor.execute(sql, params):
        created_at = from_db_time(created)
        updated_at = created_at if updated == created else from_db_time(updated)
        found.append(
            Commitment(
                round_id, intern(coop), intern(product), quantity, intern(actor),
                created_at, updated_at,
            )
        )  # fmt: skip
    return found


EXPORT_CACHE_KIB = 8192  # the connection's page cache while a round's export reads it


@asynccontextmanager
async def small_page_cache(db: Database) -> AsyncIterator[None]:
    """The connection's page cache held to `EXPORT_CACHE_KIB` while the export of a round
    reads its rows once each, then set back (64 MB unless opened smaller, `storage.database`):
    a round of 10,000 coops would otherwise fill it for nothing, a third of the export's
    memory."""
    await db.execute(f"PRAGMA cache_size = -{EXPORT_CACHE_KIB}")
    try:
        yield
    finally:  # the connection's own size, not the one read: two exports may overlap
        await db.execute(f"PRAGMA cache_size = -{db.page_cache_kib}")


AUDIT_CHUNK = 5000  # rows fetched at a time by `AuditLog`


@dataclass(frozen=True, slots=True)
class AuditLog:
    """Every change in a round, oldest first, read from the database file at `path` each
    time it is iterated, `AUDIT_CHUNK` rows at a time on a connection of its own (the
    export writes on a worker thread, after the database it was loaded from may be closed).
    A round of 10,000 coops has 300,000 changes or more: none is held once written."""

    path: Path
    round_id: int

    def __iter__(self) -> Iterator[AuditEntry]:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            cursor = conn.execute(
                "SELECT coop_code, product_code, old_quantity, new_quantity, actor, via, "
                "message_id, at FROM commitment_audit WHERE round_id = ? ORDER BY at, id",
                (self.round_id,),
            )
            while rows := cursor.fetchmany(AUDIT_CHUNK):
                for coop, product, old, new, actor, via, message, at in rows:
                    yield AuditEntry(
                        self.round_id, intern(coop), intern(product), old, new, actor, via,
                        message, from_db_time(at),
                    )  # fmt: skip
        finally:
            conn.close()
