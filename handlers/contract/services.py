"""What every handler may use: the database, the clock and a few settings.

Built once by `bot/` (the composition root) and passed to `handlers.router.handle`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from messages.replies import FileRequest
from purchasing.outcome import Overview
from usecases.context import UseCaseContext
from usecases.dashboard import LINK_MINUTES
from usecases.rounds import close_round_early

# Closes a round now and returns its overview (None: someone else closed it first).
CloseEarly = Callable[[UseCaseContext, int], Awaitable[Overview | None]]


@dataclass(frozen=True, slots=True)
class Services(UseCaseContext):
    """The use cases' context, plus what only the conversation needs."""

    catalog_page_size: int = 8
    # Per platform, how a person opens a private chat with the bot carrying a start code,
    # e.g. {"telegram": "https://t.me/BelanjaBarengBot?start={code}"}; set by the transport.
    deep_links: Mapping[str, str] = field(default_factory=dict)
    # Writes a round's XLSX workbook in a language ("id", "en") and returns its path
    # (`bot.exports.workbook_writer`); None where no files can be made (then `/ekspor` says so).
    round_workbook: Callable[[int, str], Awaitable[Path]] | None = None
    # Makes a round's file in a language: a coop's bill or a supplier's purchase order as PDF
    # (`bot.documents.RoundFiles`); None where no files can be made (then none is attached).
    round_file: Callable[[FileRequest, str], Awaitable[Path]] | None = None
    # The web dashboard's address for the sign-in links `/dasbor` gives (`[dashboard]
    # public_url`, or the demo's 127.0.0.1 one); "" where no dashboard is served.
    dashboard_url: str = ""
    # How long a sign-in link from `/dasbor` works (`[dashboard] link_minutes`).
    dashboard_link_minutes: int = LINK_MINUTES
    # Staff's early close (`/putaran tutup`): in this process by default; the bot closes in a
    # child process (`bot.close_child.close_round_apart`), as it closes a due round.
    close_early: CloseEarly = close_round_early

    def deep_links_for(self, code: str) -> dict[str, str]:
        """Per platform, the link that opens a private chat with `code` (where there is one)."""
        return {
            platform: template.format(code=code)
            for platform, template in self.deep_links.items()
            if template
        }
