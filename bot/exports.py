"""Files made from a closed round: the XLSX workbook and CSVs, for the CLI and the admins.

Given the config's `[office]`, the workbook of a closed round also holds a print-ready sheet
per supplier's purchase order and per coop's bill (`spreadsheets.party_sheets`); and every
closed round's, how far it has come and each step since its close (Setelah Ditutup)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import OfficeConfig
from purchasing.after_close_log import AfterCloseStep
from purchasing.model import AuditEntry, Coop, Round, RoundStatus, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.settlement import BillDue, Payee, SettlementProgress
from spreadsheets import export_csv, export_workbook
from spreadsheets.export import EXCEL_ID_DELIMITER
from storage import payments, rounds
from storage.after_close import after_close_steps
from storage.commitment_reads import audit_log
from storage.database import Database
from storage.errors import UnknownRound
from storage.round_parties import coops_at_close, parties_for
from storage.supply import settlement_progress
from usecases.rounds import round_outcome

EXPORTS_DIR = "exports"  # next to the database file: where workbooks are written
ESTIMATES_DIR = "perkiraan"  # inside it: workbooks of rounds still open (`/ekspor`)


def exports_next_to(database: Path) -> Path:
    return database.parent / EXPORTS_DIR


@dataclass(frozen=True, slots=True)
class RoundExport:
    round: Round
    outcome: RoundOutcome
    audit: list[AuditEntry]
    coops: list[Coop]
    bills: list[BillDue] = field(default_factory=list)  # with what was paid, once closed
    suppliers: list[Supplier] = field(default_factory=list)  # as at the close
    payee: Payee = Payee.OFFICE  # who its coops pay (fixed at the close)
    steps: list[AfterCloseStep] = field(default_factory=list)  # since the close, oldest first
    progress: SettlementProgress | None = None  # how far it has come, once closed

    def supplier(self, code: str) -> Supplier:
        """The round's supplier of this code (as at the close)."""
        return next((s for s in self.suppliers if s.code == code), Supplier(code, code))

    def workbook(self, out: Path, office: OfficeConfig | None = None) -> Path:
        """The workbook in `out`; with `office`, with a sheet to print per party."""
        out.mkdir(parents=True, exist_ok=True)
        payees = None
        if self.payee is Payee.SUPPLIER:
            payees = {supplier.code: supplier for supplier in self.suppliers}
        return export_workbook(
            self.outcome, self.round, self.audit, self.coops, out, bills=self.bills,
            office=office, payees=payees, steps=self.steps, progress=self.progress,
        )  # fmt: skip

    def files(
        self, out: Path, delimiter: str = EXCEL_ID_DELIMITER, office: OfficeConfig | None = None
    ) -> list[Path]:
        """The workbook and the CSV files (fields separated by `delimiter`), in `out`."""
        workbook = self.workbook(out, office)
        csvs = export_csv(
            self.outcome, self.round, self.audit, self.coops, out, delimiter, bills=self.bills,
            steps=self.steps, progress=self.progress,
        )  # fmt: skip
        return [workbook, *csvs]


def workbook_writer(
    db: Database, out: Path, office: OfficeConfig | None = None
) -> Callable[[int], Awaitable[Path]]:
    """The XLSX workbook of a round, written into `out` (an open round's estimate into
    `out/ESTIMATES_DIR`, so it never takes the place of the workbook its close writes);
    with `office`, a closed round's has a sheet to print per party.
    Written on a worker thread: a big round's workbook takes seconds."""

    async def round_workbook(round_id: int) -> Path:
        export = await load_round_export(db, round_id)
        folder = out / ESTIMATES_DIR if export.round.status is RoundStatus.OPEN else out
        return await asyncio.to_thread(export.workbook, folder, office)

    return round_workbook


async def load_round_export(db: Database, round_id: int) -> RoundExport:
    round_ = await rounds.get_round(db, round_id)
    if round_ is None:
        raise UnknownRound(round_id=round_id)
    outcome = await round_outcome(db, round_id)
    coops = await coops_at_close(db, round_id)
    bills = await payments.bills_due(db, round_id)
    suppliers = list((await parties_for(db, round_id)).suppliers)
    payee = await rounds.payee_of(db, round_id)
    audit = await audit_log(db, round_id)
    steps, progress = await _after_close(db, round_)
    return RoundExport(round_, outcome, audit, coops, bills, suppliers, payee, steps, progress)


async def _after_close(
    db: Database, round_: Round
) -> tuple[list[AfterCloseStep], SettlementProgress | None]:
    """A closed round's steps since its close and how far it has come (others: none)."""
    if round_.status is not RoundStatus.CLOSED:
        return [], None
    return await after_close_steps(db, round_.id), await settlement_progress(db, round_.id)
