"""Dinas staff send catalog files to the bot on WhatsApp: signed webhook posts over HTTP, the
file fetched from the fake Graph API's media URL, the answer sent back in the chat."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pywa_async.errors import WhatsAppError

from bot.config import Config, Secret
from bot.whatsapp.client import whatsapp_client
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.services import Services
from purchasing.model import Rep
from spreadsheets import read_coops, read_suppliers
from storage.catalog.reads import list_products
from storage.database import open_database
from storage.people import reps
from tests.support import EXAMPLES
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.use_case_steps import import_catalog

RINA = FakeUser("6281234500009", "Mbak Rina")
SITI = FakeUser("6281234500001", "Bu Siti")
PRODUCTS = (EXAMPLES / "produk.csv").read_bytes()


@pytest.fixture
async def dinas(tmp_path: Path, chat_clock: Clock) -> AsyncIterator[Services]:
    """Coops and suppliers loaded, no products yet; Rina is an admin, Siti treasurer of DT."""
    async with open_database(tmp_path / "dinas.sqlite3") as db:
        now = chat_clock()
        coops, suppliers = (
            read_coops(EXAMPLES / "koperasi.csv"),
            read_suppliers(EXAMPLES / "pemasok.csv"),
        )
        await import_catalog(db, coops, suppliers)
        await reps.add_admin(db, "whatsapp", RINA.wa_id or "", "Rina", "config", now)
        await reps.add_rep(db, Rep("whatsapp", SITI.wa_id or "", "DT", display_name="Siti"), now)
        yield Services(db=db, now=chat_clock, default_language="id")


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary files go to, watched by the test."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def texts_to(fake_graph: FakeGraph, user: FakeUser) -> list[str]:
    return [message.text for message in fake_graph.messages_to(user.wa_id or "")]


async def test_an_admin_sends_the_product_list_on_whatsapp_and_it_is_loaded(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    media = fake_graph.media.add(PRODUCTS)

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        assert await bot.send(RINA.document(media, "produk.csv")) == 200

    [reply] = texts_to(fake_graph, RINA)
    assert reply.startswith("*produk.csv sudah dimuat.*")
    assert "Produk: 25 baru, 0 diperbarui" in reply
    assert len(await list_products(dinas.db)) == 25
    assert fake_graph.media.url_requests == [media.id] and fake_graph.media.downloads == [media.id]
    assert leftovers(temp) == []  # the downloaded copy is gone
    assert fake_graph.refused == []


async def test_a_file_meta_delivers_twice_is_fetched_and_loaded_once(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    media = fake_graph.media.add(PRODUCTS)
    sent_once = RINA.document(media, "produk.csv")

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(sent_once)
        await bot.send(sent_once)

    assert len(texts_to(fake_graph, RINA)) == 1
    assert fake_graph.media.downloads == [media.id]


async def test_a_treasurer_sending_a_file_on_whatsapp_is_refused_and_it_is_never_fetched(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    media = fake_graph.media.add(PRODUCTS)

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(SITI.document(media, "produk.csv"))

    [reply] = texts_to(fake_graph, SITI)
    assert "hanya admin Dinas" in reply
    assert fake_graph.media.url_requests == [] and fake_graph.media.downloads == []
    assert await list_products(dinas.db) == []
    assert leftovers(temp) == []


async def test_a_file_over_the_limit_is_refused_before_its_bytes_are_fetched(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    big = PRODUCTS + b"\n" * (MAX_UPLOAD_BYTES - len(PRODUCTS) + 1)
    media = fake_graph.media.add(big)

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(RINA.document(media, "produk.csv"))

    [reply] = texts_to(fake_graph, RINA)
    assert "terlalu besar" in reply and "2 MB" in reply
    assert fake_graph.media.url_requests == [media.id] and fake_graph.media.downloads == []
    assert await list_products(dinas.db) == []
    assert leftovers(temp) == []


async def test_a_file_larger_than_meta_announced_is_refused_and_nothing_is_imported(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    big = PRODUCTS + b"\n" * MAX_UPLOAD_BYTES
    media = fake_graph.media.add(big, announced_size=len(PRODUCTS))

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(RINA.document(media, "produk.csv"))

    assert "terlalu besar" in texts_to(fake_graph, RINA)[0]
    assert await list_products(dinas.db) == []
    assert leftovers(temp) == []


async def test_a_file_whose_sha256_does_not_match_is_refused_and_nothing_is_imported(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    media = fake_graph.media.add(PRODUCTS)
    other = hashlib.sha256(b"another file").hexdigest()

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(RINA.document(media, "produk.csv", sha256=other))

    [reply] = texts_to(fake_graph, RINA)
    assert "tidak bisa diambil" in reply
    assert fake_graph.media.downloads == [media.id]
    assert await list_products(dinas.db) == []
    assert leftovers(temp) == []


async def test_a_file_meta_no_longer_has_is_refused_as_unavailable(
    wa_config: Config, dinas: Services, fake_graph: FakeGraph, temp: Path
) -> None:
    media = fake_graph.media.add(PRODUCTS)
    del fake_graph.media.files[media.id]

    async with whatsapp_running(wa_config, dinas, fake_graph) as bot:
        await bot.send(RINA.document(media, "produk.csv"))

    assert "tidak bisa diambil" in texts_to(fake_graph, RINA)[0]
    assert await list_products(dinas.db) == []
    assert leftovers(temp) == []


async def test_the_fake_serves_media_only_to_the_right_token(
    wa_config: Config, fake_graph: FakeGraph
) -> None:
    media = fake_graph.media.add(PRODUCTS)
    assert wa_config.whatsapp is not None
    wrong = replace(wa_config.whatsapp, access_token=Secret("EAAG-stolen"))
    async with fake_graph.session() as right, fake_graph.session() as stolen:
        right_client = whatsapp_client(wa_config.whatsapp, session=right)
        wrong_client = whatsapp_client(wrong, session=stolen)

        found = await right_client.get_media_url(media.id)
        content = await right_client.get_media_bytes(found.url)
        with pytest.raises(WhatsAppError):
            await wrong_client.get_media_url(media.id)
        with pytest.raises(httpx.HTTPStatusError):
            await wrong_client.get_media_bytes(found.url)

    assert content == PRODUCTS and found.file_size == len(PRODUCTS)
    assert found.sha256 == media.sha256_hex
    assert fake_graph.media.downloads == [media.id]
