"""Sample contexts for the words of the round's workbook and CSV files (`sheets/*.j2`),
built the way `bot.exports.sheet_words` renders them: with a `str.format` gap for each
value, filled in per cell afterwards."""

from __future__ import annotations

from bot.exports import SHEET_TEMPLATES
from spreadsheets.labels import PLACEHOLDERS

SAMPLES: dict[str, dict[str, object]] = {
    f"sheets/{name}": dict(PLACEHOLDERS) for name in SHEET_TEMPLATES
}
