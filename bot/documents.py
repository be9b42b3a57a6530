"""The PDFs of a closed round, one per party: each coop's bill and each supplier's purchase
order, in one language, with the issuing office of the config (`[office]`).

Every sentence comes from the templates under `messages/templates/<lang>/documents/`; the
numbers and dates from `purchasing.paperwork`; the layout from `spreadsheets.pdf`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from bot.config import OfficeConfig
from bot.exports import RoundExport, load_round_export, workbook_writer
from messages import formatting
from messages.render import Renderer
from messages.replies import FileKind, FileRequest
from messages.styles import TextStyle
from purchasing.model import Coop, Supplier
from purchasing.outcome import Bill, LineStatus, PurchaseOrder
from purchasing.paperwork import bill_number, due_date, purchase_order_number
from purchasing.settlement import Payee, bill_per_supplier
from spreadsheets.pdf import Document, DocumentTable, write_pdf
from storage import supply
from storage.database import Database
from storage.round_results import stored_bill

_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


DOCUMENTS_DIR = "dokumen"  # inside the exports folder: <round>/<lang>/<file>.pdf
RoundFile = Callable[[FileRequest, str], Awaitable[Path]]


class RoundFiles:
    """Makes the file a queued message (or a chat request) asks for, in the reader's
    language: the round's workbook (one file per language, `bot.exports.workbook_writer`),
    or one party's PDF, each as it stands now (a shortage the supplier reported, a coop's
    receipt show); the round itself is loaded once per process for all its documents (a
    close of 10,000 coops sends 10,000 bills) and again when its bills change."""

    def __init__(self, db: Database, out: Path, office: OfficeConfig, renderer: Renderer) -> None:
        self._db = db
        self._out = out
        self._office = office
        self._renderer = renderer
        self._workbook = workbook_writer(db, out, office, renderer.zone, renderer)
        self._loaded: tuple[tuple[int, int], RoundExport] | None = None

    async def __call__(self, request: FileRequest, language: str) -> Path:
        if request.kind is FileKind.WORKBOOK:
            return await self._workbook(request.round_id, language)
        export = await self._export(request.round_id)
        papers = Papers(export, self._office, self._renderer, language)
        folder = self._out / DOCUMENTS_DIR / str(request.round_id) / language
        if request.kind is FileKind.BILL:
            # As the bill stands now (a supplier's shortage may have changed it since).
            stored = await stored_bill(self._db, export.round, request.party)
            if stored is None:
                raise LookupError(f"coop {request.party} has no bill in round {request.round_id}")
            bill, payee = stored.bill, None
            if request.supplier:
                bill = bill_per_supplier(bill, export.round)[request.supplier]
                payee = export.supplier(request.supplier)
            path = folder / bill_file_name(request.round_id, request.party, request.supplier)
            document = papers.bill(bill, payee)
        else:
            order = next(
                o for o in export.outcome.purchase_orders if o.supplier_code == request.party
            )
            path = folder / purchase_order_file_name(request.round_id, order.supplier_code)
            document = papers.purchase_order(order)
        return await asyncio.to_thread(write_pdf, document, path)

    async def _export(self, round_id: int) -> RoundExport:
        """The round, loaded again only when another round is asked for or its bills changed
        since (a supplier's shortage, a coop's receipt)."""
        version = (round_id, await supply.changes_made(self._db, round_id))
        if self._loaded is None or self._loaded[0] != version:
            export = await load_round_export(self._db, round_id, self._renderer.zone)
            self._loaded = (version, export)
        return self._loaded[1]


def bill_file_name(round_id: int, coop_code: str, supplier_code: str = "") -> str:
    supplier = f"-{_safe(supplier_code)}" if supplier_code else ""
    return f"tagihan-{round_id}-{_safe(coop_code)}{supplier}.pdf"


def purchase_order_file_name(round_id: int, supplier_code: str) -> str:
    return f"surat-pesanan-{round_id}-{_safe(supplier_code)}.pdf"


def write_round_documents(
    export: RoundExport, office: OfficeConfig, renderer: Renderer, lang: str, out: Path
) -> list[Path]:
    """Every bill and purchase order of the closed round, written into `out` (a bill per
    supplier where each supplier is paid directly)."""
    papers = Papers(export, office, renderer, lang)
    round_id = export.round.id
    written = []
    for bill in export.outcome.bills:
        if export.payee is Payee.OFFICE:
            name = bill_file_name(round_id, bill.coop_code)
            written.append(write_pdf(papers.bill(bill), out / name))
            continue
        for code, part in bill_per_supplier(bill, export.round).items():
            name = bill_file_name(round_id, bill.coop_code, code)
            written.append(write_pdf(papers.bill(part, export.supplier(code)), out / name))
    for order in export.outcome.purchase_orders:
        name = purchase_order_file_name(round_id, order.supplier_code)
        written.append(write_pdf(papers.purchase_order(order), out / name))
    return written


class Papers:
    """Builds the documents of one round in one language."""

    def __init__(
        self, export: RoundExport, office: OfficeConfig, renderer: Renderer, lang: str
    ) -> None:
        self._export = export
        self._office = office
        self._renderer = renderer
        self._lang = lang
        self._coops: Mapping[str, Coop] = {coop.code: coop for coop in export.coops}
        self._issued_at = export.round.closes_at

    def bill(self, bill: Bill, payee: Supplier | None = None) -> Document:
        """A coop's bill: to the office, or with `payee` its part paid to that supplier."""
        round_ = self._export.round
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
            "cut": _names(bill, LineStatus.CUT),
            "delivery_note": bill.delivery_note,
        }
        table = DocumentTable(
            self._columns("bill_columns"), rows, frozenset({1, 2, 3, 4, 5}),
            (0.30, 0.12, 0.12, 0.15, 0.17, 0.14),
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
        round_ = self._export.round
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
            "round_name": self._export.round.name,
            "issued_at": self._issued_at,
            "office": self._office,
            **context,
        }

    def _text(self, name: str, context: Mapping[str, object]) -> list[str]:
        text = self._renderer.render(f"documents/{name}", self._lang, context, TextStyle.PLAIN)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def _columns(self, name: str) -> list[str]:
        return self._text(name, {})[0].split("|")

    def _money(self, amount: int | None) -> str:
        return "—" if amount is None else formatting.rupiah(amount, self._lang)

    def _units(self, quantity: int, unit: str) -> str:
        return f"{formatting.number(quantity, self._lang)} {unit}"


def _names(bill: Bill, status: LineStatus) -> list[str]:
    return [line.name for line in bill.lines if line.status is status]


def _safe(code: str) -> str:
    return _SAFE.sub("_", code)
