"""WhatsApp people: the ids a message arrives with, and the numbered options they may answer.

A WhatsApp message names its sender by the phone-based `wa_id` and, in newer Cloud API
payloads, by a business-scoped user id (BSUID) too; a user who hides their number behind a
username arrives with the BSUID only. `remember_identity` stores both and returns the one id
the bot uses for that person everywhere else (`user_id`: the wa_id when known, else the
BSUID), so the same person keeps their reps and preferences whichever id a message carries.

Numbered options: a reply with more options than a WhatsApp list holds is sent as numbered
text; the payloads are kept here so that answering "3" presses option 3.
"""

from __future__ import annotations

import json
from datetime import datetime

from storage.database import Connection
from storage.encoding import dump_json, to_db_time


async def remember_identity(
    conn: Connection,
    wa_id: str | None,
    bsuid: str | None,
    parent_bsuid: str | None,
    now: datetime,
) -> str:
    """Record the ids of a message's sender; the user id the bot knows them by."""
    if not wa_id and not bsuid:
        raise ValueError("a WhatsApp sender needs a wa_id or a business-scoped user id")
    at = to_db_time(now)
    async with conn.write() as tx:
        known = None
        if bsuid:
            rows = list(
                await tx.fetch_all(
                    "SELECT user_id, wa_id FROM whatsapp_identities WHERE bsuid = ?", (bsuid,)
                )
            )
            known = rows[0] if rows else None
        user_id = wa_id or (known["user_id"] if known else bsuid)
        assert user_id is not None
        if known is not None and known["user_id"] != user_id:
            # The number became known (or changed) for this BSUID: the BSUID follows it.
            await tx.execute(
                "UPDATE whatsapp_identities SET bsuid = NULL WHERE bsuid = ?", (bsuid,)
            )
        await tx.execute(
            "INSERT INTO whatsapp_identities "
            "(user_id, wa_id, bsuid, parent_bsuid, first_seen_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "wa_id = COALESCE(excluded.wa_id, wa_id), bsuid = COALESCE(excluded.bsuid, bsuid), "
            "parent_bsuid = COALESCE(excluded.parent_bsuid, parent_bsuid), "
            "last_seen_at = excluded.last_seen_at",
            (user_id, wa_id or None, bsuid or None, parent_bsuid or None, at, at),
        )
    return user_id


async def identity_ids(conn: Connection, user_id: str) -> tuple[str | None, str | None]:
    """(wa_id, bsuid) known for the user id (None, None when never seen)."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT wa_id, bsuid FROM whatsapp_identities WHERE user_id = ?", (user_id,)
            )
        )
    return (rows[0]["wa_id"], rows[0]["bsuid"]) if rows else (None, None)


async def set_numbered_options(
    conn: Connection, user_id: str, payloads: list[str], now: datetime
) -> None:
    """Remember the payloads of the numbered options just sent (empty: forget them)."""
    async with conn.write() as tx:
        if not payloads:
            await tx.execute("DELETE FROM whatsapp_numbered_options WHERE user_id = ?", (user_id,))
            return
        await tx.execute(
            "INSERT INTO whatsapp_numbered_options (user_id, payloads, updated_at) "
            "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "payloads = excluded.payloads, updated_at = excluded.updated_at",
            (user_id, dump_json(payloads), to_db_time(now)),
        )


async def numbered_option(conn: Connection, user_id: str, number: int) -> str | None:
    """The payload of option `number` (1-based) last sent as numbered text, if any."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT payloads FROM whatsapp_numbered_options WHERE user_id = ?", (user_id,)
            )
        )
    if not rows:
        return None
    payloads = json.loads(rows[0]["payloads"])
    if not isinstance(payloads, list) or not 1 <= number <= len(payloads):
        return None
    chosen = payloads[number - 1]
    return chosen if isinstance(chosen, str) else None
