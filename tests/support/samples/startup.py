"""Sample contexts for the start-up faults' templates: the command line's own (errors/cli_*
of `bot.cli.startup`) and the database file's (errors/database_* of `storage.database` and
`storage.migrator`), with the params those errors are raised with."""

from __future__ import annotations

_DATABASE: dict[str, object] = {
    "path": "data/belanja-bareng.sqlite3",
    "folder": "/srv/belanja-bareng/data",
}

SAMPLES: dict[str, dict[str, object]] = {
    "errors/cli_telegram_token_rejected": {},
    "errors/cli_whatsapp_token_rejected": {"code": 190},
    "errors/cli_telegram_token_malformed": {},
    "errors/cli_telegram_unreachable": {
        "address": "api.telegram.org",
        "detail": "httpx.ConnectError: All connection attempts failed",
    },
    "errors/cli_webhook_port_in_use": {
        "setting": "telegram.webhook.port",
        "listen": "0.0.0.0",
        "port": 8443,
    },
    "errors/cli_webhook_cannot_listen": {
        "section": "whatsapp.webhook",
        "listen": "10.1.2.3",
        "port": 80,
        "detail": "Cannot assign requested address",
    },
    "errors/cli_dashboard_port_in_use": {
        "setting": "dashboard.port",
        "listen": "127.0.0.1",
        "port": 8090,
    },
    "errors/cli_dashboard_cannot_listen": {
        "section": "dashboard",
        "listen": "10.1.2.3",
        "port": 80,
        "detail": "Cannot assign requested address",
    },
    "errors/cli_database_folder": {"folder": "/srv/belanja-bareng/data", "detail": "File exists"},
    "errors/database_not_sqlite": {"path": _DATABASE["path"]},
    "errors/database_schema_newer": {"path": _DATABASE["path"], "found": 32, "supported": 31},
    "errors/database_read_only": _DATABASE,
    "errors/database_cannot_open": _DATABASE,
}
