"""Invites: a treasurer links their chat to a coop with a code, within its limits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.errors import InviteExpired, InviteUsedUp, UnknownCoop
from purchasing.model import Rep, RepRole
from storage.database import Database
from storage.errors import InviteUnknown
from storage.people.invites import get_invite
from storage.people.reps import reps_for_coop, reps_for_user
from tests.support.builders import NOW
from tests.support.storage_builders import database_at, seed_catalog
from tests.support.use_case_steps import create_invite, redeem_invite


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with database_at(tmp_path) as database:
        await seed_catalog(database)
        yield database


async def test_an_invite_code_fits_a_telegram_start_link(db: Database) -> None:
    invite = await create_invite(db, "KOP01", "telegram:9", NOW)

    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", invite.code)
    assert await get_invite(db, invite.code) == invite


async def test_a_treasurer_redeems_an_invite_and_becomes_a_rep(db: Database) -> None:
    invite = await create_invite(db, "KOP01", "telegram:9", NOW)

    rep = await redeem_invite(db, invite.code, "telegram", "1001", "Bu Siti", NOW)

    assert rep == Rep("telegram", "1001", "KOP01", RepRole.TREASURER, "Bu Siti")
    assert await reps_for_user(db, "telegram", "1001") == [rep]
    stored = await get_invite(db, invite.code)
    assert stored is not None and stored.uses == 1


async def test_an_invite_is_used_no_more_than_its_limit(db: Database) -> None:
    invite = await create_invite(db, "KOP01", "telegram:9", NOW, max_uses=2)
    await redeem_invite(db, invite.code, "telegram", "1", "Satu", NOW)
    await redeem_invite(db, invite.code, "whatsapp", "62811", "Dua", NOW)

    with pytest.raises(InviteUsedUp) as raised:
        await redeem_invite(db, invite.code, "telegram", "3", "Tiga", NOW)

    assert raised.value.params == {"coop_code": "KOP01", "max_uses": 2}
    assert [rep.user_id for rep in await reps_for_coop(db, "KOP01")] == ["1", "62811"]


async def test_redeeming_again_does_not_use_up_the_invite(db: Database) -> None:
    invite = await create_invite(db, "KOP01", "telegram:9", NOW, max_uses=1)
    await redeem_invite(db, invite.code, "telegram", "1", "Satu", NOW)

    again = await redeem_invite(db, invite.code, "telegram", "1", "Satu", NOW)

    assert again.coop_code == "KOP01"
    stored = await get_invite(db, invite.code)
    assert stored is not None and stored.uses == 1


async def test_an_expired_or_unknown_invite_is_refused(db: Database) -> None:
    invite = await create_invite(db, "KOP01", "telegram:9", NOW, expires_at=NOW + timedelta(days=7))

    with pytest.raises(InviteExpired):
        await redeem_invite(db, invite.code, "telegram", "1", "Satu", NOW + timedelta(days=7))
    with pytest.raises(InviteUnknown):
        await redeem_invite(db, "not-a-code", "telegram", "1", "Satu", NOW)

    assert await reps_for_user(db, "telegram", "1") == []


async def test_an_invite_for_an_unknown_coop_is_refused(db: Database) -> None:
    with pytest.raises(UnknownCoop):
        await create_invite(db, "KOP99", "telegram:9", NOW)
