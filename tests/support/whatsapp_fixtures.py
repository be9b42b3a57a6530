"""Fixtures for the WhatsApp stories: the fake Graph API and a config pointing at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from tests.support.fake_graph import FakeGraph
from tests.support.fake_graph.bot import whatsapp_config


@pytest.fixture
def fake_graph() -> FakeGraph:
    """Meta's Graph API as the bot's pywa client sees it (no network)."""
    return FakeGraph()


@pytest.fixture
def wa_config(tmp_path: Path) -> Config:
    """A WhatsApp-only config on a SQLite file in `tmp_path`."""
    return whatsapp_config(tmp_path / "belanja-bareng.sqlite3")
