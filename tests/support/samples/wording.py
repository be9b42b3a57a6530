"""Sample contexts for the templates that name things the same way everywhere."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, object]] = {
    "round_title": {"name": "Putaran Januari"},
}
