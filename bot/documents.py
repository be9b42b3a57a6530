"""The PDFs of a closed round, one per party: each coop's bill and each supplier's purchase
order, in one language, with the issuing office of the config (`[office]`).

Every sentence comes from the templates under `messages/templates/<lang>/documents/`; the
numbers and dates from `purchasing.paperwork`; the layout from `spreadsheets.pdf`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from bot.config import OfficeConfig
from bot.exports import RoundExport, export_outcome, workbook_writer
from messages import formatting
from messages.formatting import resolve_language
from messages.render import Renderer
from messages.replies import FileKind, FileRequest
from messages.styles import TextStyle
from purchasing.after_close_log import StepKind
from purchasing.model import Coop, Round, Supplier
from purchasing.outcome import Bill, LineStatus, PurchaseOrder
from purchasing.paperwork import bill_number, due_date, purchase_order_number
from purchasing.settlement import Payee, bill_per_supplier
from spreadsheets.pdf import Document, DocumentTable, write_pdf
from storage import rounds
from storage.database import Database
from storage.errors import UnknownRound
from storage.round_parties import coops_at_close
from storage.round_results import bill_parties, stored_bill
from storage.supply import receipt_confirmed

_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


DOCUMENTS_DIR = "dokumen"  # inside the exports folder: <round>/<lang>/<file>.pdf
PDF_PROCESSES = 1  # processes making the PDFs of the bot's messages (one of two cores)
BACKGROUND_NICENESS = 10  # theirs: the bot's chats come first
RoundFile = Callable[[FileRequest, str], Awaitable[Path]]


class RoundFiles:
    """Makes the file a queued message (or a chat request) asks for, in the reader's
    language: the round's workbook (one file per language, `bot.exports.workbook_writer`),
    or one party's PDF, each as it stands now (a shortage the supplier reported, a coop's
    receipt show). Neither loads the whole round: a close of 10,000 coops sends 10,000
    bills, each read for its coop alone from what the close wrote down, and a purchase
    order settles its supplier's products alone (the round's 300,000 commitments are never
    held at once, nor kept between files).

    The bot has one (`bot.wiring.wire`): the sender's summaries and `/ekspor` ask it for
    workbooks (`workbook`), so a workbook asked for while the same one is being made (the
    close overview's, and staff exporting the round just closed) waits for it and gets its
    file, and the workbooks' children run one at a time."""

    def __init__(self, db: Database, out: Path, office: OfficeConfig, renderer: Renderer) -> None:
        self._db = db
        self._out = out
        self._office = office
        self._renderer = renderer
        self._workbook = workbook_writer(db, out, office, renderer.zone, renderer)
        self._loading = asyncio.Lock()  # one purchase order settled at a time
        # The workbooks being made, by round and language: asked again meanwhile, shared.
        self._making: dict[tuple[int, str], _Making] = {}

    async def __call__(self, request: FileRequest, language: str) -> Path:
        if request.kind is FileKind.WORKBOOK:
            return await self.workbook(request.round_id, language)
        folder = self._out / DOCUMENTS_DIR / str(request.round_id) / language
        if request.kind is FileKind.BILL:
            path = folder / bill_file_name(request.round_id, request.party, request.supplier)
            document = await self._bill(request, language)
        else:
            path = folder / purchase_order_file_name(request.round_id, request.party)
            document = await self._purchase_order(request, language)
        return await written_apart(document, path)

    async def workbook(self, round_id: int, language: str) -> Path:
        """The round's workbook in `language`, as it stands now. While the same one is
        being made, that one's file (it began a moment ago); a later request makes it anew.
        The making stops only when every request for it has gone (cancelled)."""
        key = (round_id, resolve_language(language))
        making = self._making.get(key)
        if making is None or making.task.done() or making.task.cancelling():
            making = _Making(asyncio.create_task(self._make_workbook(round_id, language)))
            self._making[key] = making
            making.task.add_done_callback(partial(self._made, key, making))
        making.waiting += 1
        try:
            return await asyncio.shield(making.task)
        except asyncio.CancelledError:
            if making.waiting == 1:  # nobody else wants it: stop making it
                making.task.cancel()  # a request from now on makes it anew (`cancelling`)
            raise
        finally:
            making.waiting -= 1

    async def _make_workbook(self, round_id: int, language: str) -> Path:
        return await self._workbook(round_id, language)

    def _made(self, key: tuple[int, str], making: _Making, _: object) -> None:
        if self._making.get(key) is making:
            del self._making[key]

    async def _bill(self, request: FileRequest, language: str) -> Document:
        """A coop's bill as it stands now (a supplier's shortage may have changed it since),
        from what the close wrote down for that coop alone (`stored_bill`): a close of
        10,000 coops sends 10,000 bills, and none needs the round's other coops."""
        round_ = await rounds.get_round(self._db, request.round_id)
        if round_ is None:
            raise UnknownRound(round_id=request.round_id)
        stored = await stored_bill(self._db, round_, request.party)
        if stored is None:
            raise LookupError(f"coop {request.party} has no bill in round {request.round_id}")
        parties = await bill_parties(self._db, round_.id, request.party, request.supplier)
        received = await receipt_confirmed(self._db, round_.id, request.party)
        coops = {parties.coop.code: parties.coop} if parties.coop else {}
        papers = Papers(round_, coops, self._office, self._renderer, language)
        if not request.supplier:
            return papers.bill(stored.bill, received=received)
        bill = bill_per_supplier(stored.bill, round_)[request.supplier]
        payee = parties.supplier or Supplier(request.supplier, request.supplier)
        return papers.bill(bill, payee, received=received)

    async def _purchase_order(self, request: FileRequest, language: str) -> Document:
        """A supplier's purchase order as it stands now (what ships after a shortage), its
        products alone settled (`export_outcome`), one supplier's at a time."""
        async with self._loading:
            round_ = await rounds.get_round(self._db, request.round_id)
            if round_ is None:
                raise UnknownRound(round_id=request.round_id)
            outcome = await export_outcome(self._db, round_.id, request.party)
            coops = await coops_at_close(self._db, round_.id)
        order = next((o for o in outcome.purchase_orders if o.supplier_code == request.party), None)
        if order is None:
            raise LookupError(f"supplier {request.party} has no order in round {round_.id}")
        by_code = {coop.code: coop for coop in coops}
        return Papers(round_, by_code, self._office, self._renderer, language).purchase_order(order)


@dataclass
class _Making:
    """A workbook being made, and how many requests wait for it."""

    task: asyncio.Task[Path]
    waiting: int = 0


async def written_apart(document: Document, path: Path) -> Path:
    """`write_pdf` in the process that makes the bot's PDFs (`pdf_process`): a bill's PDF
    takes about 70 ms of CPU, and a close of 10,000 coops sends 10,000 of them. Made in the
    bot, even on worker threads, they held its interpreter lock for most of each second
    while the bills went out (every chat waited) and kept ReportLab's 18 MB in it. A pool
    whose process died is replaced at the next PDF (this one raises)."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(pdf_process(), write_pdf, document, path)
    except BrokenProcessPool:
        pdf_process.cache_clear()
        raise


@cache
def pdf_process() -> ProcessPoolExecutor:
    """The process(es) that make the PDFs of this bot, started at the first PDF (a fresh
    interpreter, never a fork of the bot's threads), at a lower priority than the bot."""
    return ProcessPoolExecutor(
        PDF_PROCESSES,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=os.nice,
        initargs=(BACKGROUND_NICENESS,),
    )


def bill_file_name(round_id: int, coop_code: str, supplier_code: str = "") -> str:
    supplier = f"-{_safe(supplier_code)}" if supplier_code else ""
    return f"tagihan-{round_id}-{_safe(coop_code)}{supplier}.pdf"


def purchase_order_file_name(round_id: int, supplier_code: str) -> str:
    return f"surat-pesanan-{round_id}-{_safe(supplier_code)}.pdf"


def write_round_documents(
    export: RoundExport, office: OfficeConfig, renderer: Renderer, lang: str, out: Path
) -> list[Path]:
    """Every bill and purchase order of the closed round, written into `out` (a bill per
    supplier where each supplier is paid directly); a coop owing nothing gets none."""
    papers = Papers.of(export, office, renderer, lang)
    round_id = export.round.id
    received = {step.party for step in export.steps if step.kind is StepKind.COOP_RECEIVED}
    written = []
    for bill in export.outcome.bills_to_pay:
        got = bill.coop_code in received
        if export.payee is Payee.OFFICE:
            name = bill_file_name(round_id, bill.coop_code)
            written.append(write_pdf(papers.bill(bill, received=got), out / name))
            continue
        for code, part in bill_per_supplier(bill, export.round).items():
            name = bill_file_name(round_id, bill.coop_code, code)
            document = papers.bill(part, export.supplier(code), received=got)
            written.append(write_pdf(document, out / name))
    for order in export.outcome.purchase_orders:
        name = purchase_order_file_name(round_id, order.supplier_code)
        written.append(write_pdf(papers.purchase_order(order), out / name))
    return written


class Papers:
    """Builds the documents of one round in one language."""

    def __init__(
        self,
        round_: Round,
        coops: Mapping[str, Coop],
        office: OfficeConfig,
        renderer: Renderer,
        lang: str,
    ) -> None:
        self._round = round_
        self._office = office
        self._renderer = renderer
        self._lang = lang
        self._coops = coops  # by code: the names and addresses printed (as at the close)
        self._issued_at = round_.closed_at or round_.closes_at  # as reminders date the bill

    @classmethod
    def of(cls, export: RoundExport, office: OfficeConfig, renderer: Renderer, lang: str) -> Papers:
        """The documents of a round loaded whole (every coop)."""
        coops = {coop.code: coop for coop in export.coops}
        return cls(export.round, coops, office, renderer, lang)

    def bill(self, bill: Bill, payee: Supplier | None = None, received: bool = False) -> Document:
        """A coop's bill: to the office, or with `payee` its part paid to that supplier.

        Each line's units billed are its allocation as it stands (after a supplier's
        shortage, and the goods the coop said did not arrive): named as the workbook names
        them ("Dialokasikan") until the coop confirmed what it `received`, and "Diterima"
        from then on."""
        round_ = self._round
        number = bill_number(round_.id, bill.coop_code, payee.code if payee else "")
        coop = self._coops.get(bill.coop_code, Coop(bill.coop_code, bill.coop_name))
        context = self._context(number=number, coop=coop, payee=payee)
        context["due_at"] = due_date(self._issued_at, self._office.bill_due_days)
        rows = [
            [
                f"{line.product_code} {line.name}", self._units(line.asked, line.unit),
                self._units(line.allocated, line.unit), self._money(line.unit_price),
                self._money(line.subtotal), self._money(line.saving),
            ]
            for line in bill.lines
        ]  # fmt: skip
        closing = {
            "total": bill.total,
            "saving": bill.saving,
            "unfilled": _names(bill, LineStatus.UNFILLED),
            "cut": _names(bill, LineStatus.CUT, changed_by={"", "shortage"}),
            "missing": _names(bill, LineStatus.CUT, changed_by={"receipt"}),
            "delivery_note": bill.delivery_note,
            "received": received,
        }
        table = DocumentTable(
            self._columns("bill_columns", {"received": received}), rows, frozenset({1, 2, 3, 4, 5}),
            (0.26, 0.12, 0.16, 0.15, 0.17, 0.14),  # "Dialokasikan" unbroken
        )  # fmt: skip
        return Document(
            title=self._text("bill_title", context)[0],
            facts=self._text("bill_facts", context),
            tables=(table,),
            closing=self._text("bill_closing", {**context, **closing}),
            author=self._office.name,
            subject=number,
        )

    def purchase_order(self, order: PurchaseOrder) -> Document:
        round_ = self._round
        number = purchase_order_number(round_.id, order.supplier_code)
        context = self._context(number=number, supplier=self._supplier(order))
        lines = [
            [
                f"{line.product_code} {line.name}", formatting.number(line.quantity, self._lang),
                line.unit, self._money(line.unit_price), self._money(line.amount),
            ]
            for line in order.lines
        ]  # fmt: skip
        closing = {"total": order.total, "delivery_note": round_.delivery_note}
        items = DocumentTable(
            self._columns("purchase_order_columns"), lines, frozenset({1, 3, 4}),
            (0.36, 0.12, 0.12, 0.19, 0.21),
        )  # fmt: skip
        deliveries = DocumentTable(
            self._columns("purchase_order_delivery_columns"), self._deliveries(order),
            widths=(0.28, 0.36, 0.36),
        )  # fmt: skip
        return Document(
            title=self._text("purchase_order_title", context)[0],
            facts=self._text("purchase_order_facts", context),
            tables=(items, deliveries),
            closing=self._text("purchase_order_closing", {**context, **closing}),
            signature=self._text("signature", context),
            author=self._office.name,
            subject=number,
        )

    def _deliveries(self, order: PurchaseOrder) -> list[list[str]]:
        """Per coop (by code): where it goes and what goes there."""
        goods: dict[str, list[str]] = {}
        for line in order.lines:
            for coop_code, units in line.per_coop:
                if units:
                    goods.setdefault(coop_code, []).append(
                        f"{line.product_code} × {self._units(units, line.unit)}"
                    )
        rows = []
        for code in sorted(goods):
            coop = self._coops.get(code, Coop(code, code))
            where = ", ".join(part for part in (coop.address, coop.contact) if part)
            rows.append([f"{coop.name} ({code})", where, "\n".join(goods[code])])
        return rows

    def _supplier(self, order: PurchaseOrder) -> Mapping[str, str]:
        return {"code": order.supplier_code, "name": order.supplier_name, "contact": ""}

    def _context(self, **context: object) -> dict[str, object]:
        return {
            "round_name": self._round.name,
            "issued_at": self._issued_at,
            "office": self._office,
            **context,
        }

    def _text(self, name: str, context: Mapping[str, object]) -> list[str]:
        text = self._renderer.render(f"documents/{name}", self._lang, context, TextStyle.PLAIN)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def _columns(self, name: str, context: Mapping[str, object] | None = None) -> list[str]:
        return self._text(name, context or {})[0].split("|")

    def _money(self, amount: int | None) -> str:
        return "—" if amount is None else formatting.rupiah(amount, self._lang)

    def _units(self, quantity: int, unit: str) -> str:
        return f"{formatting.number(quantity, self._lang)} {unit}"


def _names(bill: Bill, status: LineStatus, changed_by: Collection[str] | None = None) -> list[str]:
    """The names of the bill's lines in `status`, changed last by one of `changed_by` (any)."""
    return [
        line.name
        for line in bill.lines
        if line.status is status and (changed_by is None or line.changed_by in changed_by)
    ]


def _safe(code: str) -> str:
    return _SAFE.sub("_", code)
