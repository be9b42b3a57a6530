"""Conversation state that must survive a restart: one JSON object per chat identity.

For example, a rep who pressed "order" and is about to type a number. Handlers own the
shape of the object; storage only keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Connection
from storage.encoding import JsonObject, dump_json, from_db_time, load_json_object, to_db_time


@dataclass(frozen=True, slots=True)
class ConversationState:
    platform: str
    user_id: str
    state: JsonObject
    updated_at: datetime


async def get_state(conn: Connection, platform: str, user_id: str) -> ConversationState | None:
    rows = await conn.fetch_all(
        "SELECT * FROM conversation_state WHERE platform = ? AND user_id = ?",
        (platform, user_id),
    )
    if not rows:
        return None
    return state_from_columns(platform, user_id, rows[0]["state"], rows[0]["updated_at"])


def state_from_columns(
    platform: str, user_id: str, state: str, updated_at: str
) -> ConversationState:
    """The state stored as the JSON text `state` at the time text `updated_at`."""
    return ConversationState(platform, user_id, load_json_object(state), from_db_time(updated_at))


async def set_state(
    conn: Connection, platform: str, user_id: str, state: JsonObject, now: datetime
) -> None:
    async with conn.write() as tx:
        await tx.execute(
            "INSERT INTO conversation_state (platform, user_id, state, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET "
            "state = excluded.state, updated_at = excluded.updated_at",
            (platform, user_id, dump_json(state), to_db_time(now)),
        )


async def clear_state(conn: Connection, platform: str, user_id: str) -> None:
    async with conn.write() as tx:
        await tx.execute(
            "DELETE FROM conversation_state WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
