"""Running `belanja-bareng` in a test: a temporary config and database, a fixed clock.

`Cli` calls `bot.cli.main` as the console script would, captures what it printed, and can
count what the database holds (through storage functions) to show nothing changed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from storage import rounds
from storage.catalog.reads import list_coops, list_products, list_suppliers
from storage.commitment_reads import audit_log, commitments_for_round
from storage.database import open_database
from tests.support import EXAMPLES

# Tuesday 1 December 2026, 08:00 WIB.
STORY_START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CliRun:
    code: int
    out: str
    err: str


@dataclass(frozen=True, slots=True)
class Counts:
    """How much the database holds: equal before and after a refused command."""

    coops: int
    suppliers: int
    products: int
    rounds: tuple[tuple[int, str], ...]
    commitments: tuple[tuple[str, str, int], ...]
    audit: int


class Cli:
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.database = tmp_path / "belanja-bareng.sqlite3"
        config = tmp_path / "config.toml"
        config.write_text(
            f'database = "{self.database.as_posix()}"\nadmins = ["telegram:111"]\n',
            encoding="utf-8",
        )
        self.environ = {"BELANJA_BARENG_CONFIG": str(config), "USER": "sari"}
        self.now = STORY_START
        self._capsys = capsys

    def __call__(self, *argv: str) -> CliRun:
        code = main(list(argv), environ=self.environ, now=lambda: self.now)
        captured = self._capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    def ok(self, *argv: str) -> str:
        """Run a command that must succeed; its standard output."""
        run = self(*argv)
        assert (run.code, run.err) == (0, ""), run
        return run.out

    def failed(self, *argv: str, lines: int = 1) -> str:
        """Run a command that must fail with `lines` lines on stderr; those lines."""
        run = self(*argv)
        assert run.code == 1, run
        assert run.out == "", run
        assert run.err.endswith("\n") and run.err.count("\n") == lines, run
        return run.err.strip()

    def prepared(self) -> None:
        """`init` and an import of the example catalog."""
        self.ok("init")
        self.ok("import", *(str(EXAMPLES / f"{n}.csv") for n in ("koperasi", "pemasok", "produk")))

    def counts(self) -> Counts:
        return asyncio.run(self._counts())

    async def _counts(self) -> Counts:
        async with open_database(self.database) as db:
            found = await rounds.list_rounds(db)
            commitments = [c for r in found for c in await commitments_for_round(db, r.id)]
            audit = [entry for r in found for entry in await audit_log(db, r.id)]
            return Counts(
                coops=len(await list_coops(db)),
                suppliers=len(await list_suppliers(db)),
                products=len(await list_products(db)),
                rounds=tuple((r.id, r.status.value) for r in found),
                commitments=tuple((c.coop_code, c.product_code, c.quantity) for c in commitments),
                audit=len(audit),
            )
