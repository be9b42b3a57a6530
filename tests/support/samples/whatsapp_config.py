"""Sample contexts for the errors of the [whatsapp] Graph API keys (`api_url`, `api_version`;
the others' errors are shared with every section: tests/support/samples/messages.py)."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "errors/config_invalid_api_version": {"path": "whatsapp.api_version", "got": "21"},
}
