"""`[invites] valid_days`: how long a new invite code works, from the config to the use case."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.wiring import wire
from storage.database import open_database
from tests.support.builders import NOW


def _config_with(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invites_last_14_days_unless_the_operator_says_otherwise(tmp_path: Path) -> None:
    assert load_config(None, {}).invites.valid_days == 14
    never = load_config(_config_with(tmp_path, "[invites]\nvalid_days = 0\n"), {})
    assert never.invites.valid_days == 0


def test_a_negative_number_of_days_stops_the_bot_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(_config_with(tmp_path, "[invites]\nvalid_days = -1\n"), {})

    assert refused.value.params["path"] == "invites.valid_days"


async def test_the_running_bot_hands_the_setting_to_the_use_cases(tmp_path: Path) -> None:
    config = load_config(_config_with(tmp_path, "[invites]\nvalid_days = 30\n"), {})
    async with open_database(tmp_path / "belanja.db") as db:
        assert wire(config, db, lambda: NOW).services.invite_valid_days == 30


def test_an_invite_valid_for_more_than_ten_years_is_a_slip_refused_naming_the_key(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(_config_with(tmp_path, "[invites]\nvalid_days = 3000000\n"), {})

    assert refused.value.params == {
        "path": "invites.valid_days",
        "got": 3000000,
        "minimum": 0,
        "maximum": 3650,
    }
