"""After an outage longer than the sender's retries, staff queue the failed messages again:
`belanja-bareng outbox retry [--since WHEN]`; reminders stay failed (out of date by then)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from tests.support.fixtures.cli import Cli

FAR_FUTURE = timedelta(days=3650)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1, open since Tuesday 1 December 2026 08:00 WIB. The internet is down from
    Friday until Monday: the sender gives up on Friday's broadcast and reminder, and on the
    overview of the close on Sunday 08:00 WIB."""
    cli = Cli(tmp_path, capsys)
    cli.with_open_round()
    cli.now += timedelta(days=3)  # Friday 08:00 WIB
    asyncio.run(_queue(cli, "broadcast", "broadcast:9:telegram:111"))
    asyncio.run(_queue(cli, "reminder", "reminder:1:20261205T1000:1440:telegram:111"))
    asyncio.run(_give_up_on_everything(cli))
    cli.now += timedelta(days=2)
    cli.ok("round", "close", "1")
    asyncio.run(_give_up_on_everything(cli))
    cli.now += timedelta(days=1, hours=2)  # Monday 10:00 WIB: the internet is back
    return cli


async def _queue(cli: Cli, kind: str, key: str) -> None:
    async with open_database(cli.database) as db:
        await outbox.enqueue(db, "telegram", "111", kind, {}, key, cli.now)


async def _give_up_on_everything(cli: Cli) -> None:
    async with open_database(cli.database) as db:
        for message in await outbox.due_messages(db, cli.now + FAR_FUTURE, limit=1000):
            await outbox.mark_failed(db, message.id, "timeout")


def outbox_now(cli: Cli) -> Counter[str]:
    """The kinds of the messages due now and never tried since, and of those still failed."""

    async def read() -> Counter[str]:
        async with open_database(cli.database) as db:
            due = await outbox.due_messages(db, cli.now + FAR_FUTURE, limit=1000)
            assert all(m.attempts == 0 and m.next_attempt_at == cli.now for m in due)
            found = Counter(m.kind for m in due)
            for kind in ("broadcast", "reminder", "summary"):
                counts = await outbox.delivery_counts(db, kind_prefix=kind)
                found[f"failed {kind}"] = counts[DeliveryStatus.FAILED]
            return +found

    return asyncio.run(read())


def test_the_messages_that_failed_since_the_outage_began_are_queued_again(cli: Cli) -> None:
    said = cli.ok("outbox", "retry", "--since", "2026-12-06 07:00")

    assert said == (
        "1 pesan yang gagal terkirim sejak Minggu, 6 Des 2026 07.00 WIB diantrekan lagi; bot"
        " yang sedang berjalan mengirimnya dalam beberapa detik.\n"
    )
    assert outbox_now(cli) == {"summary_overview": 1, "failed broadcast": 1, "failed reminder": 1}


def test_without_since_every_failed_message_but_the_reminders_is_queued_again(cli: Cli) -> None:
    said = cli.ok("--lang", "en", "outbox", "retry")
    again = cli.ok("--lang", "en", "outbox", "retry")

    assert (
        said == "2 messages that failed queued again; the running bot sends them within seconds.\n"
    )
    assert again == "No failed message to queue again.\n"
    assert outbox_now(cli) == {"summary_overview": 1, "broadcast": 1, "failed reminder": 1}


def test_a_time_that_cannot_be_read_is_refused_and_nothing_is_queued(cli: Cli) -> None:
    refused = cli.failed("outbox", "retry", "--since", "Minggu")

    assert "Minggu" in refused
    assert outbox_now(cli) == {"failed broadcast": 1, "failed reminder": 1, "failed summary": 1}
