"""An admin sends a sheet of orders (`pesanan-*.csv`) in the private chat: recorded in the
open round as one audited batch, with the group's progress posts; a treasurer's sheet is
refused. Every event goes through `handlers.router.handle`, as from a transport that
downloaded the file."""

from __future__ import annotations

import shutil
from pathlib import Path

from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.router import handle
from messages.replies import Reply
from purchasing.model import Round
from storage.commitment_reads import audit_log
from tests.support import EXAMPLES
from tests.support.clock import Clock
from tests.support.fixtures.admin import GroupChat, outbox_total
from tests.support.fixtures.chat import ChatUser, quantities, render_reply
from tests.support.storage_builders import begin_closing


async def send_file(user: ChatUser, path: Path) -> list[Reply]:
    event = IncomingEvent(
        platform=user.platform,
        user_id=user.user_id,
        display_name=user.display_name,
        chat_id=user.user_id,
        chat_kind=ChatKind.PRIVATE,
        language_hint="id",
        document=document_of(path),
        message_id=str(next(user.message_ids)),
    )
    replies = await handle(user.services, event)
    user.rendered = [render_reply(user.renderer, reply) for reply in replies]
    return replies


def document_of(path: Path) -> IncomingDocument:
    """The document a transport hands over: the name, the size reported, the saved file."""
    return IncomingDocument(path.name, path.stat().st_size, path)


def sheet(tmp_path: Path, name: str = "pesanan-desember.csv") -> Path:
    target = tmp_path / "sent" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(EXAMPLES / "pesanan-contoh.csv", target)
    return target


async def test_an_admin_sends_the_paper_orders_as_a_sheet_and_all_are_recorded(
    chat_admin: ChatUser, admin_group: GroupChat, chat_round: Round, tmp_path: Path
) -> None:
    await admin_group.send(chat_admin, "/hubungkan")

    [reply] = await send_file(chat_admin, sheet(tmp_path))

    assert reply.template == "admin_orders_recorded"
    assert "12 pesanan dicatat untuk 5 koperasi" in chat_admin.last_text
    db = chat_admin.services.db
    assert len(await quantities(db, chat_round.id)) == 12
    entries = await audit_log(db, chat_round.id)
    assert {(e.actor, e.via) for e in entries} == {("admin:telegram:9001", "sheet")}
    assert await outbox_total(chat_admin.services, f"progress:{chat_round.id}:BRS-SPHP50:moq") == 1


async def test_a_treasurer_sending_a_sheet_of_orders_is_refused(
    chat_treasurer: ChatUser, chat_round: Round, tmp_path: Path
) -> None:
    [reply] = await send_file(chat_treasurer, sheet(tmp_path))

    assert reply.template == "errors/upload_not_admin"
    assert await quantities(chat_treasurer.services.db, chat_round.id) == {}


async def test_a_sheet_sent_with_no_round_open_records_nothing(
    chat_admin: ChatUser, tmp_path: Path
) -> None:
    [reply] = await send_file(chat_admin, sheet(tmp_path, "orders.csv"))

    assert reply.template == "admin_no_open_round"


async def test_a_sheet_sent_while_staff_close_the_round_records_nothing_and_says_why(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    await begin_closing(chat_admin.services.db, chat_round.id, chat_clock())

    [reply] = await send_file(chat_admin, sheet(tmp_path))

    assert reply.template == "errors/order_sheet_refused"
    assert "sedang ditutup oleh admin Dinas sejak" in chat_admin.last_text
    assert await quantities(chat_admin.services.db, chat_round.id) == {}


async def test_a_sheet_with_unquoted_decimal_commas_records_nothing_and_names_each_row(
    chat_admin: ChatUser, chat_round: Round, tmp_path: Path
) -> None:
    typed = tmp_path / "pesanan-telepon.csv"
    typed.write_text(
        "koperasi,produk,jumlah\nDT,BRS-SPHP50,20\nPERSIS,IDM-GRG,2,5\nKKPITB,GLP-50,1,5\n",
        "utf-8",
    )

    [reply] = await send_file(chat_admin, typed)

    assert reply.template == "errors/import_failed"
    text = chat_admin.last_text
    assert "pesanan-telepon.csv tidak dimuat" in text
    assert "baris 3: ada 4 sel, padahal judulnya hanya 3 kolom" in text
    assert "baris 4: ada 4 sel" in text and "tanda kutip ganda" in text
    assert await quantities(chat_admin.services.db, chat_round.id) == {}
