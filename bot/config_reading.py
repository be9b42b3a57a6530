"""Strict, typed reading of a parsed TOML table, for `bot.config`.

Every value is checked for its type and range as it is read, and a table refuses keys its
section does not have, so a typo in the config file stops the bot with an error that names
the key ("telegram.mode"), rather than being silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_DURATION = re.compile(r"(?:\d+[dhm])+")
_DURATION_PART = re.compile(r"(\d+)([dhm])")
_DURATION_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# An office's zone: an IANA "Area/City" name ("Asia/Jakarta", "America/Argentina/Salta"), or
# UTC. zoneinfo also loads "localtime" (whatever the server is set to), "Factory" and old
# names such as "Japan" or "posix/Asia/Jakarta", none of them an office's zone.
_OFFICE_ZONE = re.compile(r"UTC|[A-Z][A-Za-z]+(?:/[A-Za-z0-9_+-]+)+")


class ConfigError(Exception):
    """An invalid config. `key` names the template errors/<key>.j2; `params` fill it
    (tests/support/samples/messages.py holds a sample of each key's params).

    `params["path"]` is the key path ("telegram.webhook.port") when one key is at fault;
    `params["file"]` the config file when the file as a whole is.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params: dict[str, object] = params
        where = params.get("path") or params.get("file") or "config"
        details = ", ".join(f"{name}={value!r}" for name, value in params.items())
        super().__init__(f"{where}: {key} ({details})")


class Secret(str):
    """A password-like string: usable as a str, but its repr never shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"


def parse_duration(text: str, path: str, *, longest: timedelta) -> timedelta:
    """Parse a duration such as "24h", "90m", "1d" or "1d12h": positive, at most `longest`
    (whole days; counted in minutes first, so that no number of days overflows)."""
    compact = text.replace(" ", "").lower()
    if not _DURATION.fullmatch(compact):
        raise ConfigError("config_invalid_duration", path=path, got=text)
    minutes = sum(
        int(count) * _DURATION_MINUTES[unit] for count, unit in _DURATION_PART.findall(compact)
    )
    if minutes <= 0:
        raise ConfigError("config_invalid_duration", path=path, got=text)
    if minutes > longest // timedelta(minutes=1):
        raise ConfigError("config_duration_too_long", path=path, got=text, days=longest.days)
    return timedelta(minutes=minutes)


class TomlTable:
    """One table of the config file, read key by key into typed values."""

    def __init__(
        self, data: Mapping[str, object], path: str, section: type[DataclassInstance]
    ) -> None:
        self.path = path
        self._data = data
        known = {entry.name for entry in fields(section)}
        for key in data:
            if key not in known:
                raise ConfigError("config_unknown_key", path=self.key_path(key))

    def raw(self) -> Mapping[str, object]:
        """The table as parsed, for a section that checks its own nested keys."""
        return self._data

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def table(self, key: str, section: type[DataclassInstance]) -> TomlTable:
        value = self._data.get(key, {})
        if not isinstance(value, dict):
            raise self._wrong_type(key, "table", value)
        return TomlTable(value, self.key_path(key), section)

    def text(self, key: str, default: str, *, non_empty: bool = False) -> str:
        value = self._data.get(key, default)
        if not isinstance(value, str) or (non_empty and not value.strip()):
            raise self._wrong_type(key, "non_empty_text" if non_empty else "text", value)
        return value

    def texts(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._wrong_type(key, "list_of_texts", value)
        return tuple(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._data.get(key, default)
        if not isinstance(value, bool):
            raise self._wrong_type(key, "boolean", value)
        return value

    def integer(
        self, key: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(key, "integer", value)
        too_low = minimum is not None and value < minimum
        if too_low or (maximum is not None and value > maximum):
            raise ConfigError(
                "config_out_of_range",
                path=self.key_path(key),
                got=value,
                minimum=minimum,
                maximum=maximum,
            )
        return value

    def real(self, key: str, default: float, *, minimum: float) -> float:
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong_type(key, "number", value)
        if value < minimum:
            raise ConfigError(
                "config_out_of_range",
                path=self.key_path(key),
                got=value,
                minimum=plain_number(minimum),
                maximum=None,
            )
        return float(value)

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(
                "config_invalid_choice", path=self.key_path(key), got=value, choices=list(choices)
            )
        return value

    def timezone(self, key: str, default: str) -> ZoneInfo:
        """An IANA zone named "Area/City" ("Asia/Jakarta"), or "UTC"."""
        value = self.text(key, default)
        refused = ConfigError("config_invalid_timezone", path=self.key_path(key), got=value)
        if not _OFFICE_ZONE.fullmatch(value):
            raise refused
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise refused from None

    def integer_choice(self, key: str, default: int, choices: tuple[int, ...]) -> int:
        value = self.integer(key, default)
        if value not in choices:
            raise ConfigError(
                "config_invalid_choice", path=self.key_path(key), got=value, choices=list(choices)
            )
        return value

    def clock(self, key: str, default: str) -> time:
        value = self.text(key, default)
        match = _CLOCK.fullmatch(value.strip())
        if match is None:
            raise ConfigError("config_invalid_time", path=self.key_path(key), got=value)
        return time(int(match[1]), int(match[2]))

    def url(self, key: str, default: str, *, schemes: tuple[str, ...]) -> str:
        """A URL starting with one of `schemes`, or "" (not set)."""
        value = self.text(key, default).strip()
        if value and not value.startswith(schemes):
            raise ConfigError(
                "config_invalid_url", path=self.key_path(key), got=value, schemes=list(schemes)
            )
        return value

    def secret(self, key: str, environ: Mapping[str, str], variable: str) -> Secret:
        """The environment variable `variable` if set and not empty, else the file's value."""
        value = self._data.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(
                "config_wrong_type", path=self.key_path(key), expected="text", got="***"
            )
        return Secret(environ.get(variable) or value)

    def require(
        self, key: str, value: str, *, when: tuple[str, str], env: str | None = None
    ) -> None:
        """Refuse an empty `value`, needed because `when` = (key path, value) holds."""
        if not value.strip():
            raise ConfigError(
                "config_required",
                path=self.key_path(key),
                when_path=when[0],
                when_value=when[1],
                env=env,
            )

    def check_secret_token(
        self, key: str, value: str, environ: Mapping[str, str], variable: str
    ) -> None:
        """Telegram accepts 1-256 characters A-Z a-z 0-9 _ - as a webhook secret token; a
        refused one is named as the environment variable `variable` when it came from there."""
        if value and not _SECRET_TOKEN.fullmatch(value):
            env = variable if environ.get(variable) else None
            raise ConfigError("config_invalid_secret_token", path=self.key_path(key), env=env)

    def _wrong_type(self, key: str, expected: str, value: object) -> ConfigError:
        return ConfigError(
            "config_wrong_type", path=self.key_path(key), expected=expected, got=_shown(value)
        )


def plain_number(number: float) -> float:
    """`number` as a person writes it: 0, not 0.0; 0.5 stays 0.5."""
    return int(number) if float(number).is_integer() else number


def _shown(value: object) -> str:
    """A short view of a bad value for the error message."""
    text = repr(value) if not isinstance(value, dict) else "{…}"
    return text if len(text) <= 40 else text[:39] + "…"
