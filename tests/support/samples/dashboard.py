"""Sample contexts for the chat side of the web dashboard (`/dasbor`), as
`handlers.admin.dashboard` builds them (rendered in every language by a shared test)."""

from __future__ import annotations

from datetime import UTC, datetime

from usecases.dashboard import LINK_MINUTES

SAMPLES: dict[str, dict[str, object]] = {
    "admin_dashboard_link": {
        "url": "https://dasbor.example.org/masuk/3q2-7ZLx_Ab",
        "minutes": LINK_MINUTES,
        "expires_at": datetime(2026, 12, 1, 1, 15, tzinfo=UTC),
    },
    "admin_dashboard_off": {},
    "admin_dashboard_signed_out": {"sessions": 2},
    "admin_dashboard_usage": {"got": "<b>apa</b>"},
    "errors/dashboard_not_admin": {"coop_rep": True},
    "cli/run_started_dashboard": {
        "url": "http://127.0.0.1:8090",
        "public_url": "https://dasbor.example.org",
    },
}
