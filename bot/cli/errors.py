"""Errors of the command line itself (an unknown file kind, a missing database).

Like the domain errors they carry a `key` (a template under `messages/<lang>/errors/`) and
`params` for it, so the console explains them in the user's language.
"""

from __future__ import annotations

from purchasing.errors import ExplainedError


class CliError(ExplainedError):
    key = "cli_error"


class DatabaseMissing(CliError):
    key = "cli_database_missing"


class RoundNotClosed(CliError):
    key = "cli_round_not_closed"


class UnexpectedFailure(CliError):
    key = "cli_unexpected"
