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


class CloseUnderway(CliError):
    """`round close` of a round another close (an admin's in chat, another `round close`)
    began under `purchasing.rounds.LEFT_CLOSING_AFTER` ago. Params: round_id (int),
    round_name (str), closing_since (aware datetime)."""

    key = "cli_close_underway"


class UnexpectedFailure(CliError):
    key = "cli_unexpected"


class DatabaseFolderUnusable(CliError):
    """The database's folder cannot be made. Params: folder (str), detail (the OS's words)."""

    key = "cli_database_folder"


class NoProductCodes(CliError):
    """`round create --products` with no code in it (`--products ","`). No params."""

    key = "cli_no_product_codes"


class CannotRead(CliError):
    """A file a command was told to read is not there, is a folder, or may not be read.
    Params: path (str, as typed), detail (the OS's words, e.g. "No such file or directory")."""

    key = "cli_cannot_read"


class CannotWrite(CliError):
    """A path a command was told to write to cannot serve, found before anything is written
    (`bot.cli.targets`). Params: path (str, as typed), detail (the OS's words, e.g. "Not a
    directory"), wanted ("folder" or "file": what `path` must be)."""

    key = "cli_cannot_write"


class FileUnusable(CliError):
    """Writing (or reading) a file failed midway: the disk is full, a folder went away.
    Params: path (str, the file the OS named), detail (the OS's words)."""

    key = "cli_file_unusable"


class BackupIsDatabase(CliError):
    """`backup PATH` where PATH is the live database itself. Params: path (str, as typed)."""

    key = "cli_backup_is_database"


class BackupExists(CliError):
    """`backup PATH` where a file PATH is there already (a backup is never overwritten).
    Params: path (str, as typed)."""

    key = "cli_backup_exists"


class TelegramTokenMalformed(CliError):
    """The token has characters a bot token never has (a space, a line break). No params."""

    key = "cli_telegram_token_malformed"


class TelegramTokenRejected(CliError):
    """Telegram answered 401/404 to the token (`InvalidToken`). No params."""

    key = "cli_telegram_token_rejected"


class TelegramUnreachable(CliError):
    """Params: address (host[:port] of telegram.base_url), detail (what failed, redacted)."""

    key = "cli_telegram_unreachable"


class TelegramRefused(CliError):
    """Telegram refused a request the bot makes as it starts (`BadRequest`), most often the
    webhook (`setWebhook`: "Bad webhook: ..."). Params: detail (Telegram's words, redacted),
    webhook (bool: it was the webhook), public_url (str: telegram.webhook.public_url)."""

    key = "cli_telegram_refused"


class WebhookPortInUse(CliError):
    """Params: setting (the config key, e.g. telegram.webhook.port), listen (str), port."""

    key = "cli_webhook_port_in_use"


class WebhookCannotListen(CliError):
    """Params: section (e.g. telegram.webhook), listen (str), port (int), detail (the OS's
    words)."""

    key = "cli_webhook_cannot_listen"


class DashboardPortInUse(CliError):
    """Another program has the web dashboard's port. Params: setting (dashboard.port),
    listen (str), port (int)."""

    key = "cli_dashboard_port_in_use"


class DashboardCannotListen(CliError):
    """The web dashboard cannot listen on its address. Params: section (dashboard), listen
    (str), port (int), detail (the OS's words)."""

    key = "cli_dashboard_cannot_listen"


class DeploymentUnhealthy(CliError):
    """`doctor` found checks that failed. Params: failed (int), warnings (int)."""

    key = "cli_doctor_failed"
