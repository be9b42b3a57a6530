"""Reports across closed rounds for the Dinas (`belanja-bareng report ...`): read what the
closes stored in one snapshot (`storage.reports`; the savings and coops reports read the
sums each close kept, not every commitment), compute the report (`purchasing.reports`,
`purchasing.round_reports`).
Read-only: nothing is written or queued to the database; `write_files` writes a report as
XLSX, CSV and PDF (`spreadsheets.report_files`) in a reader's language."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path

from messages import Renderer, TextStyle
from messages.formatting import resolve_language, rupiah
from purchasing.reports import (
    DEFAULT_LAST_ROUNDS,
    CoopReport,
    SavingsReport,
    coop_report,
    savings_report,
)
from purchasing.round_reports import (
    PaymentReport,
    PriceReport,
    SupplierReport,
    bill_deadline,
    payment_sums_report,
    price_report,
    supplier_sums_report,
)
from purchasing.times import WIB
from spreadsheets.report_files import (
    ReportTable,
    coops_table,
    parse_report_words,
    payments_table,
    prices_table,
    savings_table,
    suppliers_table,
    write_report_files,
)
from storage import reports
from storage.database import Connection


async def savings(conn: Connection, zone: tzinfo = WIB) -> SavingsReport:
    """The network's savings per closed round, per month of the close (in `zone`, the
    office's) and in total."""
    return savings_report(await reports.closed_round_savings(conn), zone)


async def coop_participation(
    conn: Connection, last_rounds: int = DEFAULT_LAST_ROUNDS
) -> CoopReport:
    """Each current coop's participation in the last `last_rounds` closed rounds (ValueError
    below 1)."""
    rounds, coops = await reports.coop_orders(conn, last_rounds)
    return coop_report(rounds, coops, last_rounds)


async def prices(conn: Connection) -> PriceReport:
    """Each product's price reached over the closed rounds, beside its market price."""
    return price_report(await reports.closed_price_lines(conn))


async def suppliers(conn: Connection, zone: tzinfo = WIB) -> SupplierReport:
    """Each supplier's units ordered, confirmed and delivered per closed round, and how
    many days after its confirmed delivery day the coops reported receipt (in `zone`)."""
    return supplier_sums_report(await reports.supplier_sums(conn), zone)


async def payment_discipline(
    conn: Connection, now: datetime, due_days: int, zone: tzinfo = WIB
) -> PaymentReport:
    """Each coop's bills of the closed rounds paid on time, late, or still outstanding (as
    of `now`; a bill is due `due_days` after its round closed, `[office] bill_due_days`)."""
    async with conn.snapshot() as snap:
        closes = await reports.bill_closes(snap)
        deadlines = [bill_deadline(id_, at, due_days, now, zone) for id_, at in closes]
        coops = await reports.coop_payments(snap, deadlines)
    return payment_sums_report(due_days, coops)


@cache
def _renderer() -> Renderer:
    return Renderer()  # the report files' words use no zone and no office name


@cache
def report_words(language: str) -> Mapping[str, str]:
    """The words of the report files in `language` (`report_files/words.j2`)."""
    text = _renderer().render("report_files/words", language, {}, TextStyle.PLAIN)
    return parse_report_words(text)


AnyRoundReport = SavingsReport | CoopReport | PriceReport | SupplierReport | PaymentReport


def report_table(report: AnyRoundReport, language: str, zone: tzinfo = WIB) -> ReportTable:
    words = report_words(resolve_language(language))
    if isinstance(report, SavingsReport):
        return savings_table(report, words, zone)
    if isinstance(report, CoopReport):
        return coops_table(report, words)
    if isinstance(report, PriceReport):
        return prices_table(report, words, zone)
    if isinstance(report, SupplierReport):
        return suppliers_table(report, words)
    return payments_table(report, words)


async def write_files(
    report: AnyRoundReport, name: str, out: Path, language: str, zone: tzinfo = WIB
) -> list[Path]:
    """`<name>.xlsx`, `<name>.csv`, `<name>.pdf` of `report` in `out`, in `language`, days
    in `zone` (the office's); written on a worker thread."""
    lang = resolve_language(language)
    table = report_table(report, lang, zone)
    return await asyncio.to_thread(
        write_report_files, table, out, name, lambda amount: rupiah(amount, lang)
    )
