"""Dinas staff manage people from the command line: `admins`, `invites` and `reps`, with the
chat's rules (never the last admin, invite use limits 1 to 1,000) and the chat's invite text."""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

import tests.support.use_case_steps as steps
from bot.cli.context import CliContext
from bot.cli.people_commands import create_invite
from bot.config import Config, Secret, TelegramConfig
from messages.render import Renderer
from purchasing.errors import InviteExpired
from storage.database import Database, open_database
from storage.people import invites, reps
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.chat import STORY_START, load_examples
from tests.support.fixtures.cli import Cli
from tests.support.fixtures.telegram import config_for

T = TypeVar("T")
START_CODE = re.compile(r"/start ([A-Za-z0-9_-]+)")


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def in_db(cli: Cli, use: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        async with open_database(cli.database) as db:
            return await use(db)

    return asyncio.run(run())


def admin_ids(cli: Cli) -> list[str]:
    found = in_db(cli, reps.list_admins)
    return [f"{admin.platform}:{admin.user_id}" for admin in found]


def rep_ids(cli: Cli, coop_code: str) -> list[str]:
    found = in_db(cli, lambda db: reps.reps_for_coop(db, coop_code))
    return [f"{rep.platform}:{rep.user_id}" for rep in found]


def test_staff_add_list_and_remove_admins_from_the_command_line(cli: Cli) -> None:
    cli.ok("init")
    listed = cli.ok("admins", "list")
    assert "Admin (1):\n- telegram:111  (ditambahkan oleh config," in listed
    assert "[berkas konfigurasi]" in listed

    added = cli.ok("admins", "add", "telegram:222", "--name", "Pak Dedi", "--by", "Rina")
    assert added == "Pengguna telegram:222 sekarang admin.\n"
    assert cli.ok("admins", "add", "telegram:222") == "Pengguna telegram:222 sudah admin.\n"
    listed = cli.ok("admins", "list")
    assert "- telegram:222  Pak Dedi  (ditambahkan oleh admin:Rina," in listed

    removed = cli.ok("admins", "remove", "telegram:222", "--by", "Rina")

    assert removed == "telegram:222 (Pak Dedi) tidak lagi admin.\n"
    assert admin_ids(cli) == ["telegram:111"]


def test_the_config_admin_can_be_removed_but_comes_back_and_the_last_admin_stays(
    cli: Cli,
) -> None:
    cli.ok("init")
    cli.ok("admins", "add", "whatsapp:6281234567890")

    removed = cli.ok("admins", "remove", "telegram:111")

    assert removed.startswith("telegram:111 tidak lagi admin.\nCatatan: telegram:111 tercantum")
    assert "belanja-bareng run atau init" in removed
    assert admin_ids(cli) == ["whatsapp:6281234567890"]
    assert "[berkas konfigurasi]" not in cli.ok("admins", "list")  # none listed is from it

    refused = cli.failed("admins", "remove", "whatsapp:6281234567890")
    assert refused.startswith("whatsapp:6281234567890 adalah admin terakhir")
    assert "belanja-bareng admins add telegram:ID" in refused
    assert admin_ids(cli) == ["whatsapp:6281234567890"]

    cli.ok("init")
    assert admin_ids(cli) == ["telegram:111", "whatsapp:6281234567890"]


def test_mistyped_admins_are_refused_with_what_to_type_and_nothing_changes(cli: Cli) -> None:
    cli.ok("init")

    unknown = cli.failed("admins", "remove", "111")
    assert unknown.startswith("'111' bukan admin, jadi tidak ada yang dihapus.")
    assert "Admin sekarang: telegram:111." in unknown
    assert "belanja-bareng admins remove PLATFORM:ID" in unknown
    for typed in ("telegram:abc", "123456", "signal:123"):
        refused = cli.failed("admins", "add", typed)
        assert f"'{typed}' bukan ID admin yang sah" in refused and "telegram:123456789" in refused
    assert admin_ids(cli) == ["telegram:111"]


def test_staff_invite_a_treasurer_revoke_the_invite_and_remove_who_joined(cli: Cli) -> None:
    cli.prepared()

    created = cli.ok("invites", "create", "dt", "--max-uses", "2", "--by", "Rina")

    assert created.startswith("Kode undangan untuk Kopontren Daarut Tauhid (DT):\n")
    assert "Bisa dipakai 2 kali." in created
    match = START_CODE.search(created)
    assert match is not None
    code = match.group(1)
    invite = in_db(cli, lambda db: invites.get_invite(db, code))
    assert invite is not None and (invite.coop_code, invite.max_uses) == ("DT", 2)
    assert invite.created_by == "admin:Rina"
    in_db(cli, lambda db: steps.redeem_invite(db, code, "telegram", "6001", "Bu Ani", cli.now))
    assert "- DT  telegram:6001  Bu Ani" in cli.ok("reps", "list", "dt")
    assert "- DT  telegram:6001  Bu Ani" in cli.ok("reps", "list")
    listed = cli.ok("invites", "list", "dt")  # valid for [invites] valid_days, 14 by default
    assert f"- {code}  DT  dipakai 1 dari 2 kali  berlaku sampai " in listed

    revoked = cli.ok("invites", "revoke", "--", code)  # a code may start with "-"

    assert revoked.startswith(f"Undangan {code} untuk DT dicabut")
    assert "belanja-bareng reps list DT" in revoked
    with pytest.raises(InviteExpired):
        in_db(cli, lambda db: steps.redeem_invite(db, code, "telegram", "6002", "X", cli.now))
    cli.now += timedelta(minutes=5)
    again = cli.ok("invites", "revoke", "--", code)
    assert "sudah tidak berlaku sejak" in again and "tidak ada yang berubah" in again

    removed = cli.ok("reps", "remove", "DT", "telegram:6001")

    assert removed == "telegram:6001 (Bu Ani) tidak lagi mewakili DT.\n"
    assert rep_ids(cli, "DT") == []
    assert f"- {code}  DT  dipakai 1 dari 2 kali  berakhir " in cli.ok("invites", "list")
    assert "Undangan KKPITB (0):\nBelum ada." in cli.ok("invites", "list", "KKPITB")
    assert "TIDAKADA" in cli.failed("invites", "list", "tidakada")
    assert "Belum ada. Buat undangan: belanja-bareng invites create DT" in cli.ok(
        "reps", "list", "DT"
    )


def test_bad_invites_and_unknown_reps_are_refused_and_nothing_changes(cli: Cli) -> None:
    cli.prepared()
    code = _invite(cli)
    in_db(cli, lambda db: steps.redeem_invite(db, code, "telegram", "6001", "A", cli.now))

    for uses in ("0", "1001", "dua"):
        refused = cli.failed("invites", "create", "DT", "--max-uses", uses)
        assert f"'{uses}' tidak bisa dipakai: tulis angka 1 sampai 1.000" in refused
    assert "TIDAKADA" in cli.failed("invites", "create", "tidakada")
    assert "tidak dikenal" in cli.failed("invites", "revoke", "bukan-kode")
    assert "TIDAKADA" in cli.failed("reps", "list", "tidakada")
    assert "TIDAKADA" in cli.failed("reps", "remove", "tidakada", "telegram:6001")
    unknown = cli.failed("reps", "remove", "DT", "6001")
    assert unknown.startswith("'6001' tidak mewakili DT, jadi tidak ada yang dihapus.")
    assert "Pengurus DT: telegram:6001." in unknown
    assert "belanja-bareng reps remove DT PLATFORM:ID" in unknown
    assert rep_ids(cli, "DT") == ["telegram:6001"]


def _invite(cli: Cli) -> str:
    """A new invite for DT, made through the storage function the commands use."""
    made = in_db(cli, lambda db: steps.create_invite(db, "DT", "test", cli.now))
    return made.code


async def test_an_invite_made_on_the_command_line_carries_the_bots_telegram_link(
    fake_telegram: FakeTelegram, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_for(fake_telegram, tmp_path / "bot.sqlite3")
    async with open_database(config.database) as db:
        await load_examples(db)
    context = CliContext(config, "en", Renderer(), lambda: STORY_START, {"USER": "sari"})

    await create_invite(context, argparse.Namespace(coop_code="KKPITB", max_uses=None, by=None))

    printed = capsys.readouterr().out
    match = START_CODE.search(printed)
    assert match is not None
    code = match.group(1)
    assert f"Telegram: https://t.me/belanja_bareng_test_bot?start={code}" in printed
    assert "No use limit." in printed
    async with open_database(config.database) as db:
        invite = await invites.get_invite(db, code)
    assert invite is not None and (invite.coop_code, invite.created_by) == ("KKPITB", "admin:sari")


async def test_an_invite_is_made_even_when_telegram_cannot_be_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:  # a port on 127.0.0.1 nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    telegram = TelegramConfig(
        token=Secret("123:abc"), base_url=f"http://127.0.0.1:{closed}/bot",
        base_file_url=f"http://127.0.0.1:{closed}/file/bot",
    )  # fmt: skip
    config = Config(database=tmp_path / "bot.sqlite3", telegram=telegram)
    async with open_database(config.database) as db:
        await load_examples(db)
    context = CliContext(config, "id", Renderer(), lambda: STORY_START, {"USER": "sari"})

    await create_invite(context, argparse.Namespace(coop_code="DT", max_uses=None, by=None))

    printed = capsys.readouterr().out
    match = START_CODE.search(printed)
    assert match is not None and "Telegram:" not in printed
    async with open_database(config.database) as db:
        assert await invites.get_invite(db, match.group(1)) is not None
    assert "Telegram could not be reached" in caplog.text
