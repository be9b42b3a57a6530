"""Errors of the command line itself (an unknown file kind, a missing database).

Like the domain errors they carry a `key` (a template under `messages/<lang>/errors/`) and
`params` for it, so the console explains them in the user's language.
"""

from __future__ import annotations

from typing import ClassVar


class CliError(Exception):
    key: ClassVar[str] = "cli_error"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}")
        self.params: dict[str, object] = params


class DatabaseMissing(CliError):
    key = "cli_database_missing"


class RoundNotClosed(CliError):
    key = "cli_round_not_closed"


class UnexpectedFailure(CliError):
    key = "cli_unexpected"
