"""An admin sends a CSV or XLSX file in the private chat: the catalog is loaded from it, or,
when its name says it is a bank statement ("mutasi-desember.csv"), its credits are matched to
the bills (`usecases.payments.import_statement`, as `belanja-bareng payments import`); or,
when its name says it holds orders ("pesanan-desember.csv"), its lines are recorded in the
open round as one batch (`usecases.order_sheet.record_order_sheet`, as
`belanja-bareng order --file`).

The same reading as `belanja-bareng import` (`spreadsheets.files`): a CSV's list comes from
its name (koperasi.csv, pemasok.csv, produk.csv), an XLSX brings its sheets; then ONE
`usecases.catalog.import_catalog_files`, so a file with any problem changes nothing.
Refused, each with what to send instead: a file in a group (only an admin is answered),
from someone who is not an admin (a treasurer learns that a proof of transfer is a photo or
PDF, and, while a round takes orders, how to order), a file the transport could not fetch
(a broken download), another type of file, one larger than `MAX_UPLOAD_BYTES`, a CSV whose
name names no list, and a file with problems (the first ten are listed, with file, row and
column).
"""

from __future__ import annotations

from pathlib import Path

from handlers.contract.events import IncomingDocument
from handlers.contract.flow import Turn, error_reply
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.rounds import accepts_changes
from spreadsheets.errors import ImportFailed
from spreadsheets.files import CSV_SUFFIXES, WORKBOOK_SUFFIXES, UnknownFileKind
from spreadsheets.orders import is_order_sheet
from spreadsheets.statement import is_statement
from storage import rounds
from usecases.catalog import import_catalog_files
from usecases.order_sheet import OrderSheetRefused, record_order_sheet, sheet_audit
from usecases.payments import import_statement

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ACCEPTED_SUFFIXES = CSV_SUFFIXES + WORKBOOK_SUFFIXES
Refusal = tuple[str, dict[str, object]]


async def upload_catalog(services: Services, turn: Turn) -> list[Reply]:
    document = turn.event.document
    if document is None or (not turn.event.is_private and not turn.person.is_admin):
        return []  # a group's files are not for the bot
    refusal = refusal_of(turn, document)
    if refusal is not None:
        return [await _refused(services, turn, *refusal)]
    assert document.path is not None
    if is_statement(document.name):
        return await _statement(services, turn, document.path, document.name)
    if is_order_sheet(document.name):
        return await _orders(services, turn, document.path, document.name)
    try:
        counts = await import_catalog_files(services, [(document.path, document.name)])
    except UnknownFileKind as error:
        return [error_reply(turn.person, "upload_unknown_kind", error.params)]
    except ImportFailed as failed:
        return [error_reply(turn.person, failed.key, failed.params)]
    return [turn.reply("admin_catalog_imported", {"file": document.name, "counts": counts})]


async def _statement(services: Services, turn: Turn, path: Path, name: str) -> list[Reply]:
    """A bank statement: its credits matched to the bills (`usecases.payments`)."""
    try:
        done = await import_statement(services, path, name, turn.event.actor)
    except ImportFailed as failed:
        return [error_reply(turn.person, failed.key, failed.params)]
    return [turn.reply("admin_statement_imported", done.context())]


async def _orders(services: Services, turn: Turn, path: Path, name: str) -> list[Reply]:
    """A sheet of orders: recorded in the open round, all or nothing (`usecases.order_sheet`)."""
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [turn.reply("admin_no_open_round")]
    audit = sheet_audit(turn.staff_audit.actor, turn.event.message_id)
    try:
        done = await record_order_sheet(services, round_.id, path, name, audit)
    except (ImportFailed, OrderSheetRefused) as failed:
        return [error_reply(turn.person, failed.key, failed.params)]
    return [turn.reply("admin_orders_recorded", done.context())]


async def _refused(services: Services, turn: Turn, key: str, context: dict[str, object]) -> Reply:
    """The refusal; to someone who is no admin, what a treasurer may send instead (a proof of
    transfer; an order as text while a round takes orders)."""
    if key == "upload_not_admin":
        round_ = await rounds.current_round(services.db, services.now())
        open_now = round_ is not None and accepts_changes(round_, services.now())
        context = {**context, "treasurer": bool(turn.person.coop_codes), "round_open": open_now}
    return error_reply(turn.person, key, context)


def refusal_of(turn: Turn, document: IncomingDocument) -> Refusal | None:
    """Why this file is not read (template key and context), or None to read it."""
    file: dict[str, object] = {"file": document.name}
    too_big = (document.size or 0) > MAX_UPLOAD_BYTES
    if not turn.event.is_private:
        return "upload_in_group", file
    if not turn.person.is_admin:
        return "upload_not_admin", file
    if document.path is None and not too_big:
        return "upload_unavailable", file
    if Path(document.name).suffix.lower() not in ACCEPTED_SUFFIXES:
        return "upload_wrong_type", {**file, "suffix": Path(document.name).suffix.lower()}
    if too_big or document.path is None:
        return "upload_too_big", {**file, "limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    return None
