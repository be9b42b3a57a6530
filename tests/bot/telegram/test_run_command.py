"""`belanja-bareng run`: refuses politely without a token, and serves Telegram until stopped."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.app import explain
from bot.cli.context import CliContext
from bot.cli.run_command import run_bot
from bot.config import Admin, Config
from bot.telegram.application import TelegramTokenMissing
from messages.render import Renderer
from purchasing.model import Rep, RoundStatus
from storage import rounds
from storage.database import open_database
from storage.people import reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.recorder import CallPredicate
from tests.support.fixtures.telegram import config_for
from tests.support.storage_builders import seed_open_round
from tests.support.use_case_steps import set_commitment


def cli_context(config: Config, lang: str = "id") -> CliContext:
    return CliContext(config, lang, Renderer(), lambda: NOW, {})


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "Token bot Telegram belum diatur"), ("en", "No Telegram bot token is set")],
)
async def test_without_a_token_run_says_in_one_line_how_to_set_one_or_try_the_demo(
    tmp_path: Path, lang: str, expected: str
) -> None:
    context = cli_context(Config(database=tmp_path / "bot.sqlite3"), lang)

    with pytest.raises(TelegramTokenMissing) as refused:
        await run_bot(context, argparse.Namespace())

    line = explain(refused.value, context.renderer, lang)
    assert line.startswith(expected)
    assert "TELEGRAM_BOT_TOKEN" in line and "belanja-bareng demo" in line
    assert "\n" not in line and "<code>" not in line
    assert not (tmp_path / "bot.sqlite3").exists()


async def test_run_registers_the_config_admins_serves_telegram_and_stops_on_ctrl_c(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    database = tmp_path / "data" / "bot.sqlite3"
    config = dataclasses.replace(
        config_for(fake_telegram, database), admins=(Admin("telegram", "4242"),)
    )
    running = asyncio.create_task(run_bot(cli_context(config), argparse.Namespace()))
    await fake_telegram.wait_for_call("deleteWebhook", since=0)  # polling is about to start
    siti = fake_telegram.user(5001, "Siti")
    await fake_telegram.send_text(siti, "/bantuan")
    await fake_telegram.wait_for_message(siti.id)

    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=10)

    assert capsys.readouterr().out == (
        "Bot @belanja_bareng_test_bot berjalan (polling). Tekan Ctrl+C untuk berhenti.\n"
    )
    async with open_database(database) as db:
        assert [(a.platform, a.user_id) for a in await reps.list_admins(db)] == [
            ("telegram", "4242")
        ]
    assert fake_telegram.commands({"type": "chat", "chat_id": 4242}) != []
    assert fake_telegram.errors == []
    assert "getUpdates" in caplog.text  # PTB's own debug lines name the requests...
    assert fake_telegram.token not in caplog.text  # ...but never the token


async def test_a_round_whose_deadline_passed_while_the_bot_was_down_closes_at_start_bills_arrive(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    siti = fake_telegram.user(5002, "Siti")
    async with open_database(database) as db:
        round_ = await seed_open_round(db, now=NOW)  # closes two days after NOW
        await reps.add_rep(db, Rep("telegram", str(siti.id), "KOP01"), NOW)
        await set_commitment(
            db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=12,
            actor=f"telegram:{siti.id}", via="telegram", now=NOW,
        )  # fmt: skip
    later = NOW + timedelta(days=3)  # the bot comes back after the deadline
    config = dataclasses.replace(
        config_for(fake_telegram, database), admins=(Admin("telegram", "4242"),)
    )
    context = CliContext(config, "id", Renderer(), lambda: later, {})
    running = asyncio.create_task(run_bot(context, argparse.Namespace()))

    await fake_telegram.wait_for_call("sendDocument", to_chat(siti.id), since=0)
    workbook = await fake_telegram.wait_for_call("sendDocument", to_chat(4242), since=0)
    await fake_telegram.wait_for_call("deleteWebhook", since=0)  # Ctrl+C is handled from here

    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=10)
    [bill] = fake_telegram.messages_to(siti.id)
    assert "Tagihan" in (bill.text or "") and "GLP1" in (bill.text or "")
    assert bill.document is not None and bill.document.filename == "tagihan-1-KOP01.pdf"
    assert str(workbook.params["caption"]).startswith("📊")  # the admin: overview and workbook
    async with open_database(database) as db:
        closed = await rounds.get_round(db, round_.id)
        assert closed is not None and closed.status is RoundStatus.CLOSED
    assert fake_telegram.errors == []


def to_chat(chat_id: int) -> CallPredicate:
    return lambda call: call.ok and call.params.get("chat_id") == chat_id
