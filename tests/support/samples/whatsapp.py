"""Sample contexts for the WhatsApp transport's own templates (messages/templates/*/whatsapp/)."""

from __future__ import annotations

from tests.support.builders import NOW

SAMPLES: dict[str, dict[str, object]] = {
    "whatsapp/numbered_options": {"labels": ["BRS5", "Kop <Maju> & Jaya", "« Sebelumnya"]},
    "whatsapp/list_button": {},
    "whatsapp/options_prompt": {},
    "whatsapp/limit_reached": {"limit": 250, "until": NOW},
    "whatsapp/rendered": {"text": "🧾 *Tagihan Kop <Maju> & Jaya*\nTotal: *Rp 1.250.000*"},
    "whatsapp/label": {"label": "Kop <Maju> & Jaya"},
    "whatsapp/detail": {"label": "Kop <Maju> & Jaya", "detail": "Rp 64.000/<karung>"},
}
