"""Shared fixtures. Builders of domain values live in `tests/support/builders.py`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database
from tests.support.fake_telegram.fixtures import fake_telegram
from tests.support.storage_builders import database_at

# python-telegram-bot 22 warns (and our pytest turns warnings into errors) unless durations
# such as RetryAfter.retry_after are datetime.timedelta values. The bot copes with both forms
# (bot/telegram/delivery.py), so production needs no such setting.
os.environ.setdefault("PTB_TIMEDELTA", "1")

__all__ = ["fake_telegram"]

pytest_plugins = [
    "tests.support.fixtures.chat",
    "tests.support.fixtures.admin",
    "tests.support.fixtures.after_close",
    "tests.support.fixtures.telegram",
    "tests.support.fixtures.network_guard",
    "tests.support.fixtures.whatsapp",
]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A real, empty (migrated) SQLite file of this test's own (`database_at(tmp_path)`)."""
    async with database_at(tmp_path) as database:
        yield database
