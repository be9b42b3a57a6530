"""The one clock of the tests: what `now` the bot sees, moved only by the test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class Clock:
    """A `purchasing.times.Clock` that stands still until the test moves it (`advance`)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, span: timedelta) -> None:
        self.now += span
