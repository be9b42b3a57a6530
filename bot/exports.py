"""Files made from a closed round: the XLSX workbook and CSVs, for the CLI and the admins.

Given the config's `[office]`, the workbook of a closed round also holds a print-ready sheet
per supplier's purchase order and per coop's bill (`spreadsheets.party_sheets`); and every
closed round's, how far it has come and each step since its close (Setelah Ditutup).

Every word in the files is in one reader's language (`sheet_words`: the templates under
`messages/templates/<lang>/sheets/`, rendered once per language): the admin's for `/ekspor`,
each recipient's for the workbook attached to the close overview, the command line's for
`belanja-bareng export`. The CSV files' names are the same in every language.

A round of 10,000 coops has 300,000 lines and as many changes in its audit log: its outcome
is computed a group of products at a time (`PRODUCTS_AT_A_TIME`), and its audit log is read
from the database file while the files are written (`storage.round_rows.AuditLog`), so the
files of a round of any size are written in about the same memory."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import OfficeConfig
from bot.workbook_child import WorkbookJob, make_workbook
from messages.formatting import DEFAULT_LANGUAGE, resolve_language, zone_name
from messages.render import Renderer
from messages.styles import TextStyle
from purchasing.after_close_log import AfterCloseStep
from purchasing.as_it_stands import as_it_stands
from purchasing.model import AuditEntry, Coop, Round, RoundStatus, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.settlement import BillDue, Payee, SettlementProgress
from purchasing.times import WIB
from spreadsheets.labels import PLACEHOLDERS, SheetWords, parse_sheet_words
from spreadsheets.sheets import LocalZone
from storage import payments, rounds
from storage.after_close import after_close_steps
from storage.commitment_reads import audit_log
from storage.database import Database
from storage.errors import UnknownRound
from storage.round_parties import coops_at_close, parties_for
from storage.round_rows import AuditLog, require_round, small_page_cache
from storage.supply import changed_allocations, settlement_progress
from usecases.rounds import settled_in_groups

EXPORTS_DIR = "exports"  # next to the database file: where workbooks are written
ESTIMATES_DIR = "perkiraan"  # inside it: workbooks of rounds still open (`/ekspor`)
SHEET_TEMPLATES = ("titles", "columns", "statuses", "steps", "print")  # under sheets/
PRODUCTS_AT_A_TIME = 20  # products whose commitments are read and settled together


def sheet_words(lang: str, renderer: Renderer | None = None) -> SheetWords:
    """The words of the workbook and CSV files in `lang` (unknown: Indonesian), rendered
    once per language and renderer (the packaged templates when none is given)."""
    return _sheet_words(resolve_language(lang), renderer or _packaged_templates())


@cache
def _packaged_templates() -> Renderer:
    return Renderer()  # the sheets' words use no zone and no office name


@cache
def _sheet_words(lang: str, renderer: Renderer) -> SheetWords:
    texts = (
        renderer.render(f"sheets/{name}", lang, PLACEHOLDERS, TextStyle.PLAIN)
        for name in SHEET_TEMPLATES
    )
    return parse_sheet_words(texts)


def exports_next_to(database: Path) -> Path:
    return database.parent / EXPORTS_DIR


@dataclass(frozen=True, slots=True)
class RoundExport:
    round: Round
    outcome: RoundOutcome
    audit: Iterable[AuditEntry]  # oldest first when not a list; iterable more than once
    coops: list[Coop]
    bills: list[BillDue] = field(default_factory=list)  # with what was paid, once closed
    suppliers: list[Supplier] = field(default_factory=list)  # as at the close
    payee: Payee = Payee.OFFICE  # who its coops pay (fixed at the close)
    steps: list[AfterCloseStep] = field(default_factory=list)  # since the close, oldest first
    progress: SettlementProgress | None = None  # how far it has come, once closed
    zone: tzinfo = WIB  # the office's (the config's `timezone`): times and days shown in it

    def supplier(self, code: str) -> Supplier:
        """The round's supplier of this code (as at the close)."""
        return next((s for s in self.suppliers if s.code == code), Supplier(code, code))

    @property
    def local(self) -> LocalZone:
        """The office's zone and its name ("WITA"), as the sheets show times."""
        return LocalZone(self.zone, zone_name(self.zone, self.round.closes_at))

    def workbook(
        self, out: Path, office: OfficeConfig | None = None, words: SheetWords | None = None
    ) -> Path:
        """The workbook in `out`, in `words` (Indonesian without); with `office`, with a
        sheet to print per party."""
        from spreadsheets.export import export_workbook  # openpyxl: only to write the file

        out.mkdir(parents=True, exist_ok=True)
        payees = None
        if self.payee is Payee.SUPPLIER:
            payees = {supplier.code: supplier for supplier in self.suppliers}
        return export_workbook(
            self.outcome, self.round, self.audit, self.coops, out, bills=self.bills,
            office=office, payees=payees, steps=self.steps, progress=self.progress,
            local=self.local, words=words or sheet_words(DEFAULT_LANGUAGE),
        )  # fmt: skip

    def files(
        self,
        out: Path,
        delimiter: str | None = None,
        office: OfficeConfig | None = None,
        words: SheetWords | None = None,
    ) -> list[Path]:
        """The workbook and the CSV files (fields separated by `delimiter`), in `out`, in
        `words` (Indonesian without). The CSVs come first: they are quick, and a script
        waiting for them need not wait for a big round's workbook. Without `delimiter`,
        Excel's list separator in Indonesian (`spreadsheets.export.EXCEL_ID_DELIMITER`)."""
        # Imported here, as in `workbook`: openpyxl (~29 MB) loads only to write files.
        from spreadsheets.export import EXCEL_ID_DELIMITER, export_csv

        words = words or sheet_words(DEFAULT_LANGUAGE)
        csvs = export_csv(
            self.outcome, self.round, self.audit, self.coops, out,
            delimiter or EXCEL_ID_DELIMITER, bills=self.bills,
            steps=self.steps, progress=self.progress, local=self.local, words=words,
        )  # fmt: skip
        return [self.workbook(out, office, words), *csvs]


def workbook_writer(
    db: Database,
    out: Path,
    office: OfficeConfig | None = None,
    zone: tzinfo = WIB,
    renderer: Renderer | None = None,
) -> Callable[[int, str], Awaitable[Path]]:
    """The XLSX workbook of a round in a reader's language, written into
    `workbook_folder(out, ...)`; with `office`, a closed round's has a sheet to print per
    party; times are in `zone`. Made by a child process (`bot.workbook_child`): a province's
    workbook takes 20 s of CPU and 55 MB, which the bot's chats must not wait for nor the
    bot keep. Only a database that is not a file another process can open (":memory:"), or
    a zone without an IANA key, makes it here, on a worker thread, its words from
    `renderer`'s templates (the child's are the packaged ones). One workbook at a time."""
    one_at_a_time = asyncio.Lock()  # two admins' overviews: never two children on one file

    async def round_workbook(round_id: int, language: str) -> Path:
        async with one_at_a_time:
            if db.path.is_file() and isinstance(zone, ZoneInfo):
                job = WorkbookJob(db.path, round_id, out, resolve_language(language), zone.key)
                return await make_workbook(replace(job, office=office))
            export = await load_round_export(db, round_id, zone)
            folder = workbook_folder(out, export.round, language)
            words = sheet_words(language, renderer)
            return await asyncio.to_thread(export.workbook, folder, office, words)

    return round_workbook


def workbook_folder(out: Path, round_: Round, language: str) -> Path:
    """Where a round's workbook in `language` goes: an open round's estimate into
    `out/ESTIMATES_DIR`, so it never takes the place of the workbook its close writes; a
    language other than Indonesian into a folder of its own below, such as `out/en/`, so
    each language keeps one file."""
    folder = out / ESTIMATES_DIR if round_.status is RoundStatus.OPEN else out
    lang = resolve_language(language)
    return folder if lang == DEFAULT_LANGUAGE else folder / lang


async def load_round_export(db: Database, round_id: int, zone: tzinfo = WIB) -> RoundExport:
    """What the files of a round are made from. Its rows are read with the connection's
    page cache held small (`storage.round_rows.small_page_cache`): each is read once."""
    async with small_page_cache(db):
        return await _load_round_export(db, round_id, zone)


async def _load_round_export(db: Database, round_id: int, zone: tzinfo) -> RoundExport:
    round_ = await rounds.get_round(db, round_id)
    if round_ is None:
        raise UnknownRound(round_id=round_id)
    outcome = await export_outcome(db, round_id)
    coops = await coops_at_close(db, round_id)
    bills = await payments.bills_due(db, round_id)
    suppliers = list((await parties_for(db, round_id)).suppliers)
    payee = await rounds.payee_of(db, round_id)
    audit: Iterable[AuditEntry] = AuditLog(db.path, round_id)
    if not db.path.is_file():  # not a file another connection can read (":memory:")
        audit = await audit_log(db, round_id)
    steps, progress = await _after_close(db, round_)
    return RoundExport(
        round_, outcome, audit, coops, bills, suppliers, payee, steps, progress, zone
    )


async def export_outcome(db: Database, round_id: int, supplier: str = "") -> RoundOutcome:
    """The round's outcome as `usecases.rounds.round_outcome` computes it (the coops and
    suppliers kept at the close, the bills as they stand now), its commitments read and
    settled `PRODUCTS_AT_A_TIME` products at a time as a close settles them
    (`usecases.rounds.settled_in_groups`): never all 300,000 of a big round at once. With
    `supplier`, that supplier's products alone (for its purchase order).

    Settled on a worker thread, so the bot keeps answering chats while a big round's files
    are made (its close hands out 10,000 bills and an overview with the workbook); and a
    closed round's groups are each read in a short snapshot of their own, so the database
    connection is free between them: its commitments no longer change (a shortage or a
    receipt changes allocations, read with the round, not what was ordered)."""
    async with db.snapshot() as snap:
        round_ = await require_round(snap, round_id)
        parties = await parties_for(snap, round_id)
        closed = round_.status is RoundStatus.CLOSED
        changed = await changed_allocations(snap, round_id) if closed else {}
    items = [i for i in round_.items if not supplier or i.supplier_code == supplier]
    if closed:
        outcome = await settled_in_groups(db, round_, parties, items, PRODUCTS_AT_A_TIME)
    else:  # still taking orders: every group as at one moment
        async with db.snapshot() as snap:
            outcome = await settled_in_groups(snap, round_, parties, items, PRODUCTS_AT_A_TIME)
    return await asyncio.to_thread(as_it_stands, outcome, changed)


async def _after_close(
    db: Database, round_: Round
) -> tuple[list[AfterCloseStep], SettlementProgress | None]:
    """A closed round's steps since its close and how far it has come (others: none)."""
    if round_.status is not RoundStatus.CLOSED:
        return [], None
    return await after_close_steps(db, round_.id), await settlement_progress(db, round_.id)
