"""Dinas staff send catalog files to the bot on Telegram: the real PTB Application, polling
the fake Bot API, downloads them with getFile and answers in the chat."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.telegram.documents import saved_name
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.services import Services
from purchasing.model import Rep
from spreadsheets import read_coops, read_suppliers
from storage.catalog.reads import list_products
from storage.people import reps
from tests.support import EXAMPLES
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.files import MAX_DOWNLOAD_BYTES
from tests.support.fixtures.telegram import Clock
from tests.support.use_case_steps import import_catalog

ADMIN, TREASURER = 9001, 5001
PRODUCTS = (EXAMPLES / "produk.csv").read_bytes()


@pytest.fixture
async def dinas(bot_services: Services, bot_clock: Clock) -> Services:
    """Coops and suppliers loaded, no products yet; 9001 is an admin, 5001 the treasurer of DT."""
    db, now = bot_services.db, bot_clock()
    coops, suppliers = (
        read_coops(EXAMPLES / "koperasi.csv"),
        read_suppliers(EXAMPLES / "pemasok.csv"),
    )
    await import_catalog(db, coops, suppliers)
    await reps.add_admin(db, "telegram", str(ADMIN), "Rina", "config", now)
    await reps.add_rep(db, Rep("telegram", str(TREASURER), "DT", display_name="Siti"), now)
    return bot_services


async def test_an_admin_sends_the_product_list_and_it_is_loaded(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
    dinas: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    rina = fake_telegram.user(ADMIN, "Rina")

    await fake_telegram.send_document(rina, "produk.csv", PRODUCTS)
    reply = await fake_telegram.wait_for_message(ADMIN)

    assert reply.text is not None and reply.text.startswith("produk.csv sudah dimuat.")
    assert "Produk: 25 baru, 0 diperbarui" in reply.text
    assert len(await list_products(dinas.db)) == 25
    assert fake_telegram.downloads == ["documents/file_0.csv"]
    assert list(temp.iterdir()) == []  # the downloaded copy is gone
    assert fake_telegram.errors == []


async def test_a_treasurer_sending_a_file_is_refused_and_nothing_is_imported(
    fake_telegram: FakeTelegram, telegram_bot: str, dinas: Services
) -> None:
    siti = fake_telegram.user(TREASURER, "Siti")

    await fake_telegram.send_document(siti, "produk.csv", PRODUCTS)
    reply = await fake_telegram.wait_for_message(TREASURER)

    assert reply.text is not None and "hanya admin Dinas" in reply.text
    assert await list_products(dinas.db) == []
    assert fake_telegram.calls_to("getFile") == [] and fake_telegram.downloads == []
    assert fake_telegram.errors == []


async def test_a_broken_csv_gets_its_problems_listed_and_nothing_is_imported(
    fake_telegram: FakeTelegram, telegram_bot: str, dinas: Services
) -> None:
    rina = fake_telegram.user(ADMIN, "Rina")
    broken = PRODUCTS.replace(b"Rp 900.000", b"sembilan ratus ribu").replace(b"GLP-50,", b"GLP 50,")

    await fake_telegram.send_document(rina, "produk.csv", broken)
    reply = await fake_telegram.wait_for_message(ADMIN)

    assert reply.text is not None and reply.text.startswith("produk.csv tidak dimuat.")
    assert "Ada 2 masalah" in reply.text
    assert "baris 4" in reply.text and "sembilan ratus ribu" in reply.text
    assert "GLP 50" in reply.text
    assert await list_products(dinas.db) == []


async def test_a_file_over_the_limit_is_refused_before_it_is_downloaded(
    fake_telegram: FakeTelegram, telegram_bot: str, dinas: Services
) -> None:
    rina = fake_telegram.user(ADMIN, "Rina")
    big = PRODUCTS + b"\n" * (MAX_UPLOAD_BYTES - len(PRODUCTS) + 1)

    await fake_telegram.send_document(rina, "produk.csv", big)
    reply = await fake_telegram.wait_for_message(ADMIN)

    assert reply.text is not None and "terlalu besar" in reply.text
    assert fake_telegram.calls_to("getFile") == [] and fake_telegram.downloads == []
    assert await list_products(dinas.db) == []


async def test_a_file_posted_in_the_group_is_left_alone(
    fake_telegram: FakeTelegram, telegram_bot: str, dinas: Services
) -> None:
    rina = fake_telegram.user(ADMIN, "Rina")
    group = fake_telegram.group(-100200300)
    await fake_telegram.send_document(rina, "produk.csv", PRODUCTS, chat=group)
    await fake_telegram.send_text(rina, "/bantuan", chat=group)  # one chat: strictly in order

    help_message = await fake_telegram.wait_for_message(group.id)

    assert fake_telegram.messages_to(group.id) == [help_message]
    assert fake_telegram.calls_to("getFile") == [] and fake_telegram.downloads == []
    assert await list_products(dinas.db) == []


async def test_the_fake_serves_files_as_telegram_does(fake_telegram: FakeTelegram) -> None:
    rina = fake_telegram.user(ADMIN, "Rina")
    small = fake_telegram.document_update(rina, "produk.csv", PRODUCTS)
    huge = fake_telegram.document_update(rina, "besar.csv", b"x" * (MAX_DOWNLOAD_BYTES + 1))
    bot = Bot(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        base_file_url=fake_telegram.base_file_url,
    )

    async with bot:
        telegram_file = await bot.get_file(file_id_of(small))
        content = await telegram_file.download_as_bytearray()
        with pytest.raises(BadRequest, match=r"(?i)file is too big"):
            await bot.get_file(file_id_of(huge))
        with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
            await bot.get_file("DOCnothing")

    assert bytes(content) == PRODUCTS and telegram_file.file_size == len(PRODUCTS)
    assert telegram_file.file_path is not None and telegram_file.file_path.endswith(".csv")
    assert fake_telegram.downloads == ["documents/file_0.csv"]


def file_id_of(update: dict[str, object]) -> str:
    message = update["message"]
    assert isinstance(message, dict)
    return str(message["document"]["file_id"])


def test_saved_names_stay_inside_the_download_folder() -> None:
    assert saved_name("../../etc/passwd") == "passwd"
    assert saved_name("Produk Desember (1).csv") == "Produk_Desember_1_.csv"
    assert saved_name("..") == "berkas" and saved_name("") == "berkas"
    assert Path(saved_name(".hidden.xlsx")).suffix == ".xlsx"
