"""Dinas staff load coops, suppliers and products by sending a CSV or XLSX file in the chat.

The files are the real ones of examples/, copied to tmp_path, and broken copies of them.
Every event goes through `handlers.router.handle`, as from a transport that downloaded the
file; WhatsApp, which fetches no files, is read from a real webhook body.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot.whatsapp.inbound import parse_update
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.contract.services import Services
from handlers.router import handle
from messages import Renderer
from messages.replies import Reply
from purchasing.model import Coop, Product, Round, Supplier
from spreadsheets.files import UnknownFileKind, kind_of
from storage.catalog.reads import get_product, list_coops, list_products, list_suppliers
from storage.database import open_database
from storage.people import reps
from tests.support import EXAMPLES
from tests.support.clock import Clock
from tests.support.fake_graph import PHONE_NUMBER_ID, FakeUser, update_body
from tests.support.fixtures.chat import ChatUser, render_reply
from tests.support.use_case_steps import close_round
from usecases.payments import outstanding

Snapshot = tuple[list[Coop], list[Supplier], list[Product]]


@dataclass
class Sender:
    """One person sending files to the bot (privately, or in a group)."""

    user: ChatUser
    chat_kind: ChatKind = ChatKind.PRIVATE

    async def send_file(
        self, path: Path | None, name: str | None = None, size: int | None = None
    ) -> list[Reply]:
        user = self.user
        event = IncomingEvent(
            platform=user.platform,
            user_id=user.user_id,
            display_name=user.display_name,
            chat_id=user.user_id if self.chat_kind is ChatKind.PRIVATE else "-100200300",
            chat_kind=self.chat_kind,
            language_hint="id",
            document=document_of(path, name, size),
            message_id=str(next(user.message_ids)),
        )
        replies = await handle(user.services, event)
        user.rendered = [render_reply(user.renderer, reply) for reply in replies]
        return replies

    @property
    def last_text(self) -> str:
        return self.user.last_text


def document_of(path: Path | None, name: str | None, size: int | None) -> IncomingDocument:
    """The document a transport hands over: the name given, the size reported, the saved file."""
    if size is None and path is not None:
        size = path.stat().st_size
    return IncomingDocument(name or (path.name if path else "berkas.csv"), size, path)


def example(tmp_path: Path, name: str) -> Path:
    """A copy of examples/<name>, as the transport would have saved it."""
    target = tmp_path / "sent" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(EXAMPLES / name, target)
    return target


def broken_products(tmp_path: Path, name: str = "produk.csv") -> Path:
    """examples/produk.csv with a bad market price on row 3 and a bad code on row 5."""
    lines = (EXAMPLES / "produk.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Rp 760.000", "tujuh ratus")
    lines[4] = "BAD CODE!" + lines[4][lines[4].index(",") :]
    target = tmp_path / "sent" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


async def snapshot(services: Services) -> Snapshot:
    db = services.db
    return await list_coops(db), await list_suppliers(db), await list_products(db)


@pytest.fixture
async def empty_services(tmp_path: Path, chat_clock: Clock) -> AsyncIterator[Services]:
    """A new database: nothing loaded yet, Mbak Rina (9001) is an admin."""
    async with open_database(tmp_path / "new.sqlite3") as db:
        await reps.add_admin(db, "telegram", "9001", "Mbak Rina", "config", chat_clock())
        yield Services(db=db, now=chat_clock, default_language="id")


@pytest.fixture
def new_admin(empty_services: Services, chat_renderer: Renderer) -> Sender:
    return Sender(ChatUser(empty_services, chat_renderer, "9001", "Mbak Rina"))


@pytest.fixture
def admin(chat_admin: ChatUser) -> Sender:
    return Sender(chat_admin)


async def test_an_admin_loads_suppliers_then_products_from_csv_files_sent_in_the_chat(
    new_admin: Sender, tmp_path: Path
) -> None:
    [suppliers_reply] = await new_admin.send_file(example(tmp_path, "pemasok.csv"))
    suppliers_text = new_admin.last_text
    [products_reply] = await new_admin.send_file(example(tmp_path, "produk.csv"))

    db = new_admin.user.services.db
    assert suppliers_reply.template == products_reply.template == "admin_catalog_imported"
    assert "pemasok.csv sudah dimuat" in suppliers_text and "Pemasok: 4 baru" in suppliers_text
    assert "Produk" not in suppliers_text  # only the lists the file held
    assert "Produk: 25 baru, 0 diperbarui" in new_admin.last_text
    assert len(await list_suppliers(db)) == 4 and len(await list_products(db)) == 25
    rice = await get_product(db, "BRS-SPHP50")
    assert rice is not None and rice.market_price == 675_000 and rice.supply_cap == 500


async def test_one_workbook_loads_coops_suppliers_and_products_in_one_go(
    new_admin: Sender, tmp_path: Path
) -> None:
    [reply] = await new_admin.send_file(example(tmp_path, "katalog.xlsx"))

    assert reply.template == "admin_catalog_imported"
    text = new_admin.last_text
    assert all(line in text for line in ("Koperasi: 20 baru", "Pemasok: 4 baru", "Produk: 25"))
    coops, suppliers, products = await snapshot(new_admin.user.services)
    assert (len(coops), len(suppliers), len(products)) == (20, 4, 25)


async def test_sending_the_product_list_again_with_a_new_price_updates_it(
    admin: Sender, tmp_path: Path
) -> None:
    changed = example(tmp_path, "produk.csv")
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Rp 900.000", "Rp 915.000"), encoding="utf-8"
    )

    await admin.send_file(changed)

    assert "Produk: 0 baru, 25 diperbarui" in admin.last_text
    sugar = await get_product(admin.user.services.db, "GLP-50")
    assert sugar is not None and sugar.market_price == 915_000


async def test_products_of_suppliers_not_loaded_yet_are_refused_and_nothing_changes(
    new_admin: Sender, tmp_path: Path
) -> None:
    [reply] = await new_admin.send_file(example(tmp_path, "produk.csv"))

    assert reply.template == "errors/import_failed"
    assert "produk.csv tidak dimuat" in new_admin.last_text and "BULOG" in new_admin.last_text
    assert await snapshot(new_admin.user.services) == ([], [], [])


async def test_a_broken_csv_lists_its_problems_with_row_and_column_and_changes_nothing(
    admin: Sender, tmp_path: Path
) -> None:
    before = await snapshot(admin.user.services)

    [reply] = await admin.send_file(broken_products(tmp_path))

    assert reply.template == "errors/import_failed"
    assert reply.context["file"] == "produk.csv" and reply.context["count"] == 2
    text = admin.last_text
    assert "produk.csv tidak dimuat" in text and "kirim ulang" in text
    assert "baris 3" in text and "tujuh ratus" in text and "harga_pasar" in text
    assert "baris 5" in text and "BAD CODE!" in text
    assert await snapshot(admin.user.services) == before


async def test_problems_name_the_file_as_the_admin_named_it_not_as_it_was_saved(
    admin: Sender, tmp_path: Path
) -> None:
    saved = broken_products(tmp_path, "file_17.part")

    [reply] = await admin.send_file(saved, name="Produk Desember.csv")

    problems = reply.context["problems"]
    assert isinstance(problems, list) and problems
    assert {p["params"]["file"] for p in problems} == {"Produk Desember.csv"}
    assert "file_17" not in admin.last_text


async def test_a_treasurer_sending_a_file_is_refused_and_nothing_is_imported(
    chat_treasurer: ChatUser, tmp_path: Path
) -> None:
    treasurer = Sender(chat_treasurer)
    changed = broken_products(tmp_path)  # would fail anyway: the refusal must come first
    before = await snapshot(chat_treasurer.services)

    replies = await treasurer.send_file(changed)

    assert [r.template for r in replies] == ["errors/upload_not_admin"]
    assert "hanya admin Dinas yang memuat berkas" in treasurer.last_text
    assert "/bayar" in treasurer.last_text
    assert "memesan" not in treasurer.last_text  # no round is open
    assert await snapshot(chat_treasurer.services) == before


async def test_a_treasurer_sending_a_bank_statement_after_the_close_is_not_told_about_catalogs(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    treasurer = Sender(chat_treasurer)
    before_close = await treasurer.send_file(example(tmp_path, "koperasi.csv"))
    before_close_text = treasurer.last_text
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await close_round(chat_treasurer.services.db, chat_round.id, chat_clock())

    replies = await treasurer.send_file(example(tmp_path, "mutasi-bca.csv"), name="mutasi-demo.csv")

    assert [r.template for r in before_close + replies] == ["errors/upload_not_admin"] * 2
    assert "Untuk memesan, ketik pesanan Anda" in before_close_text  # the round is open
    text = treasurer.last_text
    assert "katalog, lembar pesanan, mutasi rekening" in text
    assert "kirim foto atau PDF bukti transfernya di sini; /bayar" in text
    assert "memesan" not in text and "/katalog" not in text
    assert await outstanding(chat_treasurer.services.db) != []  # nothing was recorded


async def test_someone_of_no_coop_sending_a_file_hears_only_who_loads_files(
    chat_stranger: ChatUser, chat_round: Round, tmp_path: Path
) -> None:
    replies = await Sender(chat_stranger).send_file(example(tmp_path, "produk.csv"))

    assert [r.template for r in replies] == ["errors/upload_not_admin"]
    assert "hanya admin Dinas yang memuat berkas" in chat_stranger.last_text
    assert "/bayar" not in chat_stranger.last_text and "memesan" not in chat_stranger.last_text


async def test_in_a_group_an_admin_is_sent_to_the_private_chat_and_others_are_ignored(
    chat_admin: ChatUser, chat_treasurer: ChatUser, tmp_path: Path
) -> None:
    before = await snapshot(chat_admin.services)
    sent = example(tmp_path, "koperasi.csv")

    admin_replies = await Sender(chat_admin, ChatKind.GROUP).send_file(sent)
    treasurer_replies = await Sender(chat_treasurer, ChatKind.GROUP).send_file(sent)

    assert [r.template for r in admin_replies] == ["errors/upload_in_group"]
    assert "obrolan pribadi" in chat_admin.last_text
    assert treasurer_replies == []
    assert await snapshot(chat_admin.services) == before


@pytest.mark.parametrize(
    ("name", "hint"),
    [("daftar harga.pdf", "katalog.xlsx"), ("katalog.xls", "Simpan Sebagai"), ("produk", ".csv")],
)
async def test_a_file_that_is_no_csv_or_xlsx_is_refused_with_what_to_send_instead(
    admin: Sender, tmp_path: Path, name: str, hint: str
) -> None:
    before = await snapshot(admin.user.services)

    replies = await admin.send_file(example(tmp_path, "produk.csv"), name=name)

    assert [r.template for r in replies] == ["errors/upload_wrong_type"]
    assert hint in admin.last_text
    assert await snapshot(admin.user.services) == before


async def test_a_csv_whose_name_names_no_list_asks_for_a_better_name(
    admin: Sender, tmp_path: Path
) -> None:
    replies = await admin.send_file(example(tmp_path, "produk.csv"), name="data Desember.csv")

    assert [r.template for r in replies] == ["errors/upload_unknown_kind"]
    assert "data Desember.csv" in admin.last_text and "produk.csv" in admin.last_text
    assert "--kind" not in admin.last_text  # that is for the command line


async def test_a_file_over_the_limit_is_refused_whether_fetched_or_not(
    admin: Sender, tmp_path: Path
) -> None:
    not_fetched = await admin.send_file(None, name="katalog.xlsx", size=MAX_UPLOAD_BYTES + 1)
    not_fetched_text = admin.last_text
    big = tmp_path / "koperasi.csv"
    big.write_bytes(b"kode,nama\n" + b"X" * MAX_UPLOAD_BYTES)
    fetched = await admin.send_file(big)

    assert [r.template for r in not_fetched + fetched] == ["errors/upload_too_big"] * 2
    assert "terlalu besar" in not_fetched_text and "2 MB" in not_fetched_text


async def test_a_document_the_transport_could_not_fetch_is_answered_with_what_to_do(
    chat_services: Services, chat_renderer: Renderer, chat_clock: Clock
) -> None:
    await reps.add_admin(
        chat_services.db, "whatsapp", "6281234500009", "Rina", "config", chat_clock()
    )
    body = whatsapp_document("6281234500009", "produk.csv")
    (message,) = parse_update(body, PHONE_NUMBER_ID)
    event = message.event("6281234500009")
    assert event is not None and event.document == IncomingDocument("produk.csv")
    before = await snapshot(chat_services)

    replies = await handle(chat_services, event)

    assert [r.template for r in replies] == ["errors/upload_unavailable"]
    text = render_reply(chat_renderer, replies[0])
    assert "Kirim sekali lagi" in text and "belanja-bareng import produk.csv" in text
    assert await snapshot(chat_services) == before


def whatsapp_document(wa_id: str, filename: str) -> bytes:
    value = FakeUser(wa_id, "Rina").text("x")
    value["messages"][0] = {
        "from": wa_id,
        "id": "wamid.document1",
        "timestamp": "1795000000",
        "type": "document",
        "document": {"filename": filename, "mime_type": "text/csv", "id": "MEDIA1"},
    }
    return update_body(value)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("koperasi.csv", "coops"),
        ("Data-Koperasi Desember.CSV", "coops"),
        ("pemasok_2026.csv", "suppliers"),
        ("products.csv", "products"),
    ],
)
def test_a_csv_names_its_list_by_a_word_of_its_name(name: str, kind: str) -> None:
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["data.csv", "koperasi-produk.csv", "produkbaru.csv"])
def test_a_name_with_no_list_or_two_lists_is_refused(name: str) -> None:
    with pytest.raises(UnknownFileKind) as refused:
        kind_of(name)
    assert refused.value.key == "cli_unknown_file_kind" and refused.value.params == {"file": name}


async def test_a_bank_statement_sent_in_the_chat_records_the_payments_it_holds(
    admin: Sender, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await close_round(admin.user.services.db, chat_round.id, chat_clock())
    chat_clock.advance(timedelta(days=2))  # the statement is sent the day of the transfer
    statement = tmp_path / "sent" / "mutasi-desember.csv"
    statement.parent.mkdir()
    number = f"TG-{chat_round.id:03d}-DT"
    statement.write_text(
        f"tanggal;keterangan;jumlah\n07/12/2026;{number};5.220.000\n08/12/2026;BUNGA;1.234\n",
        "utf-8",
    )

    [reply] = await admin.send_file(statement)

    assert reply.template == "admin_statement_imported"
    assert f"Rp 5.220.000 untuk {number} (Kopontren Daarut Tauhid), lunas" in admin.last_text
    assert "- baris 3: Selasa, 8 Des 2026 Rp 1.234 «BUNGA»" in admin.last_text  # as the CLI
    assert await outstanding(admin.user.services.db) == []
