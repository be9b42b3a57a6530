"""Sample contexts for the Telegram transport's templates (rendered by a shared test)."""

from __future__ import annotations

from bot.telegram.menus import ADMIN_COMMANDS, GROUP_COMMANDS, PRIVATE_COMMANDS

SAMPLES: dict[str, dict[str, object]] = {
    f"menu/{command}": {} for command in {*PRIVATE_COMMANDS, *GROUP_COMMANDS, *ADMIN_COMMANDS}
}
SAMPLES.update(
    {
        "errors/telegram_token_missing": {},
        "cli/run_started": {"bot": "belanja_bareng_bot", "mode": "polling"},
        "telegram/rendered": {"html": "<b>Pesanan DT</b> — Kop &lt;Maju&gt; &amp; Jaya"},
        "telegram/label": {"label": "Kop <Maju> & Jaya"},
    }
)
