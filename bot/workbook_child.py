"""The XLSX workbook of a round, made in a child process so the running bot never waits for it.

A province's round (10,000 coops × 30 lines) takes its workbook about 20 s of CPU and 55 MB.
Made inside the bot, even on a worker thread, it held Python's one interpreter lock for most
of those seconds (every chat waited, p99 reply 9.7 s during a close whose overview attaches
it) and its memory stayed with the bot. So `make_workbook` runs

    python -m bot.workbook_child   (the job as one line of JSON on its stdin)

which opens the database file with a connection of its own (WAL: it reads while the bot
writes; it never migrates the file, the bot did that at start), loads the round as
`belanja-bareng export` does (`bot.exports.load_round_export`), writes the workbook into the
folder `bot.exports.workbook_folder` chooses and prints its path. The parent awaits the
child's exit: any other exit than 0 raises `WorkbookFailed` with the end of what the child
wrote on stderr (the outbox sender retries the message later, as for any failed file)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.config import OfficeConfig
from purchasing.settlement import Payee
from spreadsheets.child_process import (
    BACKGROUND_NICENESS,
    ChildFailed,
    die_with_parent,
    run_module,
)

MODULE = "bot.workbook_child"
PATIENCE_SECONDS = 1800.0  # a province's workbook takes minutes on a busy 2-core server


class WorkbookFailed(RuntimeError):
    """The child that makes a workbook exited with an error (its exit code and stderr)."""


@dataclass(frozen=True, slots=True)
class WorkbookJob:
    """What the child needs: the database file, the round, where the workbooks of this bot
    go (`out`, as `bot.exports.workbook_writer`'s), the reader's language, the office's zone
    (an IANA key such as "Asia/Makassar") and the office (None: no sheets to print)."""

    database: Path
    round_id: int
    out: Path
    language: str
    zone: str
    office: OfficeConfig | None = None

    def encoded(self) -> bytes:
        office = None if self.office is None else asdict(self.office)
        fields = {**asdict(self), "database": str(self.database), "out": str(self.out)}
        return json.dumps({**fields, "office": office}).encode()

    @classmethod
    def decoded(cls, text: bytes) -> WorkbookJob:
        fields = json.loads(text)
        office = fields.pop("office")
        if office is not None:
            office = OfficeConfig(**{**office, "payee": Payee(office["payee"])})
        database, out = Path(fields.pop("database")), Path(fields.pop("out"))
        return cls(database=database, out=out, office=office, **fields)


async def make_workbook(job: WorkbookJob) -> Path:
    """The workbook `job` asks for, written by a child process; WorkbookFailed if it fails."""
    try:
        out, _ = await run_module(MODULE, job.encoded(), PATIENCE_SECONDS)
    except ChildFailed as failed:
        message = f"the workbook of round {job.round_id} was not made: {failed}"
        raise WorkbookFailed(message) from failed
    return Path(out.decode().strip().splitlines()[-1])


async def _write(job: WorkbookJob) -> Path:
    # Imported here: the bot itself imports this module only to start the child.
    from zoneinfo import ZoneInfo

    from bot.exports import load_round_export, sheet_words, workbook_folder
    from storage.database import Database, connect

    db = Database(job.database, await connect(job.database))  # the bot migrated it
    try:
        export = await load_round_export(db, job.round_id, ZoneInfo(job.zone))
    finally:
        await db.close()
    folder = workbook_folder(job.out, export.round, job.language)
    return export.workbook(folder, job.office, sheet_words(job.language))


def main() -> int:
    die_with_parent()
    os.nice(BACKGROUND_NICENESS)  # the bot's chats come first
    job = WorkbookJob.decoded(sys.stdin.buffer.read())
    print(asyncio.run(_write(job)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
