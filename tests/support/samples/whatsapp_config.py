"""Sample contexts for the errors of the [whatsapp] Graph API keys (`api_url`, `api_version`)
and of its message templates (`[whatsapp.templates.<message>]`); the others' errors are
shared with every section: tests/support/samples/messages.py."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "errors/config_invalid_api_version": {"path": "whatsapp.api_version", "got": "21"},
    "errors/config_unknown_message": {
        "path": "whatsapp.templates.sumary_bill",
        "got": "sumary_bill",
        "suggestion": "summary_bill",
        "documented": ["announce_round_opened", "reminder_nudge", "summary_bill"],
    },
    "errors/config_unknown_parameter": {
        "path": "whatsapp.templates.summary_bill.parameters[0]",
        "message": "summary_bill",
        "got": "no_such_key",
        "values": ["coop_code", "coop_name", "round_name", "total"],
    },
    "errors/config_unknown_language": {
        "path": "whatsapp.templates.summary_bill.languages",
        "got": "jv",
        "languages": ["id", "en"],
    },
}
