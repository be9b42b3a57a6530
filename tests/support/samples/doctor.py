"""Sample contexts for `belanja-bareng doctor`'s templates (cli/doctor/* and
errors/cli_doctor_failed), with the params `bot.cli.doctor` gives them."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.support.builders import NOW

_SHOWN: dict[str, object] = {
    "timezone": "Asia/Jakarta",
    "local_time": NOW.astimezone(ZoneInfo("Asia/Jakarta")),
}
_PORT: dict[str, object] = {"setting": "telegram.webhook.port", "listen": "127.0.0.1", "port": 8443}
_URL = "https://bot.example.org/telegram"

SAMPLES: dict[str, dict[str, object]] = {
    "cli/doctor/line": {"status": "warning", "topic": "schema", "text": "versi 15 < 16 & <lagi>"},
    "cli/doctor/summary": {"warnings": 2},
    "cli/doctor/config_ok": {"path": "/etc/belanja-bareng/config.toml"},
    "cli/doctor/telegram_ok": {"bot": "BelanjaBarengBot"},
    "cli/doctor/telegram_off": {},
    "cli/doctor/telegram_failed": {"detail": "Too Many Requests: retry after 5"},
    "cli/doctor/webhook_none": {},
    "cli/doctor/webhook_left": {"url": _URL},
    "cli/doctor/webhook_ok": {"url": _URL},
    "cli/doctor/webhook_mismatch": {"url": "", "public_url": _URL},
    "cli/doctor/webhook_error": {"url": _URL, "message": "Wrong response from the webhook: 502"},
    "cli/doctor/port_free": _PORT,
    "cli/doctor/port_in_use": _PORT,
    "cli/doctor/dashboard_port_free": {**_PORT, "setting": "dashboard.port", "port": 8090},
    "cli/doctor/whatsapp_ok": {"number": "+62 812-3456-7890"},
    "cli/doctor/whatsapp_failed": {
        "phone_number_id": "106540352242922",
        "detail": "graph api unreachable: ConnectError",
        "address": "graph.facebook.com",
    },
    "cli/doctor/database_ok": {"path": "/var/lib/belanja-bareng/belanja-bareng.sqlite3"},
    "cli/doctor/schema_ok": {"version": 16},
    "cli/doctor/schema_pending": {"found": 14, "latest": 16},
    "cli/doctor/disk_ok": {"free_mb": 51_200, "folder": "/var/lib/belanja-bareng"},
    "cli/doctor/disk_low": {"free_mb": 80, "folder": "/var/lib/belanja-bareng"},
    "cli/doctor/retries_ok": {"minutes": 1443, "attempts": 31},
    "cli/doctor/retries_short": {"minutes": 7, "attempts": 5, "default": 31},
    "cli/doctor/clock_ok": {"seconds": 1, **_SHOWN},
    "cli/doctor/clock_off": {"offset": timedelta(minutes=5, seconds=3), "ahead": True, **_SHOWN},
    "cli/doctor/clock_unchecked": {"reason": "no_telegram", **_SHOWN},
    "errors/cli_doctor_failed": {"failed": 2, "warnings": 1},
}
