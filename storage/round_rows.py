"""Reading and writing the rows of a round and its item snapshot (no rules here).

The use cases in `storage.rounds` and `storage.commitments` call these with the
connection of the transaction they are in.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from purchasing.model import MoqPolicy, PriceTier, Round, RoundItem, RoundStatus
from storage.database import Connection
from storage.encoding import dump_json, from_db_time, to_db_time
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
        "moq_policy = ?, extend_hours = ?, extended = ?, version = version + 1 "
        "WHERE id = ? AND status = ?",
        (
            round_.name, to_db_time(round_.opens_at), to_db_time(round_.closes_at),
            round_.status.value, round_.delivery_note, round_.moq_policy.value,
            round_.extend_hours, int(round_.extended), round_.id, expected.value,
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
