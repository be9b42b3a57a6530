"""Sample contexts for the help and language templates (rendered by a shared test)."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "help": {
        "is_admin": True,
        "is_rep": True,
        "is_supplier": True,
        "in_group": False,
        "unknown": False,
        "example": {"name": "beras sphp", "code": "BRS-SPHP50", "unit": "karung"},
    },
    "language_choose": {},
    "language_set": {},
    "buttons/language_id": {},
    "buttons/language_en": {},
    "unknown_command": {"in_group": False},
}
# A supplier's rep pressed the out-of-date button.
SAMPLES.update({"errors/stale_button": {"supplier_rep": True}, "errors/internal": {}})
