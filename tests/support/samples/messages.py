"""Sample contexts for the templates of `messages/` and `bot/config.py` (errors/config_*)."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "errors/config_file_missing": {"file": "config.toml"},
    "errors/config_file_unreadable": {"file": "config.toml", "detail": "Permission denied"},
    "errors/config_not_utf8": {"file": "config.toml", "line": 3},
    "errors/config_syntax": {
        "file": "config.toml",
        "detail": "Expected '=' after a key in a key/value pair (at line 3, column 5)",
    },
    "errors/config_unknown_key": {"path": "telegram.mdoe"},
    "errors/config_wrong_type": {
        "path": "telegram.webhook.port",
        "expected": "integer",
        "got": "'8443'",
    },
    "errors/config_out_of_range": {
        "path": "telegram.webhook.port",
        "got": 0,
        "minimum": 1,
        "maximum": 65535,
    },
    "errors/config_invalid_choice": {
        "path": "telegram.mode",
        "got": "poll",
        "choices": ["polling", "webhook"],
    },
    "errors/config_invalid_timezone": {"path": "timezone", "got": "Asia/Bandung"},
    "errors/config_invalid_time": {"path": "quiet_hours.start", "got": "9 malam"},
    "errors/config_invalid_duration": {"path": "reminders.offsets[1]", "got": "2 jam"},
    "errors/config_duration_too_long": {
        "path": "reminders.offsets[0]",
        "got": "99999999999999d",
        "days": 30,
    },
    "errors/config_invalid_url": {
        "path": "telegram.base_url",
        "got": "ftp://example.org",
        "schemes": ["https://", "http://"],
    },
    "errors/config_webhook_url_port": {
        "path": "telegram.webhook.public_url",
        "got": "https://bot.example.org:8080/telegram",
        "ports": [443, 80, 88, 8443],
    },
    "errors/config_port_shared": {
        "path": "telegram.webhook.port",
        "other": "dashboard.port",
        "port": 8443,
        "listen": "127.0.0.1",
        "other_listen": "0.0.0.0",
    },
    "errors/config_invalid_admin": {"path": "admins[0]", "got": "telegram:@budi"},
    "errors/config_required": {
        "path": "whatsapp.app_secret",
        "when_path": "whatsapp.enabled",
        "when_value": "true",
        "env": "WHATSAPP_APP_SECRET",
    },
    "errors/config_invalid_secret_token": {
        "path": "telegram.webhook.secret_token",
        "env": "TELEGRAM_WEBHOOK_SECRET",
    },
}
