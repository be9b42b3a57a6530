"""What tests share: builders of values and databases, fixtures, fakes of Telegram's and
Meta's servers, and sample contexts for every template."""

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
