"""A treasurer browses a round of a thousand products: suppliers first, then one supplier's."""

from __future__ import annotations

from datetime import timedelta

import pytest

import tests.support.use_case_steps as steps
from bot.whatsapp.rendering import MAX_ROWS, ROW_DESCRIPTION, ROW_TITLE, render_reply
from handlers.contract.services import Services
from messages import Renderer
from messages.replies import Reply
from purchasing.model import Round
from storage.catalog.reads import list_products
from tests.support.builders import make_product, make_supplier
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, open_example_round, payloads

# Twelve farmer groups (Tani 12 offers 101 products, the others 80) and the 19 products of
# Bulog, Indofood and Unilever in examples/: 1,000 products from 15 suppliers.
NEW_SUPPLIERS = {f"TANI{n:02}": 101 if n == 12 else 80 for n in range(1, 13)}


@pytest.fixture
async def big_round(chat_services: Services, chat_clock: Clock) -> Round:
    """The open round "Belanja Raya" of 1,000 products (none of SB Mart's)."""
    db = chat_services.db
    suppliers = [make_supplier(code, f"Kelompok Tani {code[-2:]}") for code in NEW_SUPPLIERS]
    products = [
        make_product(f"{code}-{n:03}", name=f"Beras petani {code[-2:]} nomor {n}",
                     supplier_code=code)
        for code, count in NEW_SUPPLIERS.items()
        for n in range(1, count + 1)
    ]  # fmt: skip
    await steps.import_catalog(db, suppliers=suppliers, products=products)
    examples = [p.code for p in await list_products(db) if p.supplier_code != "SBMART"]
    codes = [product.code for product in products] + examples
    round_ = await open_example_round(db, chat_clock(), codes, name="Belanja Raya")
    assert len(round_.items) == 1_000
    return round_


def whatsapp_rows_fit(renderer: Renderer, replies: list[Reply]) -> bool:
    """Each reply is one WhatsApp list of at most 10 rows, titles and descriptions in limits."""
    for reply in replies:
        sent = render_reply(renderer, reply).messages[-1]
        if not sent.list_button or len(sent.rows) > MAX_ROWS:
            return False
        for row in sent.rows:
            if len(row.title) > ROW_TITLE or len(row.description or "") > ROW_DESCRIPTION:
                return False
    return True


async def test_a_thousand_products_open_with_their_suppliers_and_how_many_each_offers(
    chat_treasurer: ChatUser, big_round: Round, chat_renderer: Renderer
) -> None:
    r = big_round.id

    replies = await chat_treasurer.send("/katalog")

    assert [reply.template for reply in replies] == ["catalog_suppliers"]
    assert payloads(replies) == [
        *(f"ks:{r}:TANI{n:02}:0" for n in range(1, 9)), f"k:{r}:1",
    ]  # fmt: skip
    text = chat_treasurer.last_text
    assert "(halaman 1/2)" in text
    assert "1.000 produk dari 15 pemasok" in text
    assert "Kelompok Tani 01: 80 produk" in text
    assert "/cari KATA" in text
    assert whatsapp_rows_fit(chat_renderer, replies)


async def test_a_supplier_button_pages_through_its_products_and_back_to_the_suppliers(
    chat_treasurer: ChatUser, big_round: Round, chat_renderer: Renderer
) -> None:
    r = big_round.id

    first = await chat_treasurer.press(f"ks:{r}:TANI03:0")

    assert [(reply.template, reply.replace) for reply in first] == [("catalog_page", True)]
    assert payloads(first) == [
        *(f"p:{r}:TANI03-{n:03}" for n in range(1, 8)), f"ks:{r}:TANI03:1", f"k:{r}:0",
    ]  # fmt: skip
    assert "Kelompok Tani 03" in chat_treasurer.last_text
    assert "(halaman 1/12)" in chat_treasurer.last_text  # 80 products, 7 a page
    assert whatsapp_rows_fit(chat_renderer, first)
    label = first[0].flat_options[0]
    assert chat_renderer.render_label(label.label, "id", label.label_context) == (
        "TANI03-001 · Beras petani 03 nomor 1"
    )

    last = await chat_treasurer.press(f"ks:{r}:TANI03:11")

    assert payloads(last) == [f"p:{r}:TANI03-078", f"p:{r}:TANI03-079", f"p:{r}:TANI03-080",
                              f"ks:{r}:TANI03:10", f"k:{r}:0"]  # fmt: skip

    product = await chat_treasurer.press(f"p:{r}:TANI03-079")

    assert payloads(product)[-1] == f"ks:{r}:TANI03:11"


async def test_the_second_page_of_suppliers_leads_back_to_the_first(
    chat_treasurer: ChatUser, big_round: Round
) -> None:
    r = big_round.id

    second = await chat_treasurer.press(f"k:{r}:1")

    assert [reply.template for reply in second] == ["catalog_suppliers"]
    assert payloads(second)[-1] == f"k:{r}:0"
    assert "(halaman 2/2)" in chat_treasurer.last_text
    assert "Perum Bulog Kanwil Jawa Barat: 5 produk" in chat_treasurer.last_text
    supplier = await chat_treasurer.press(f"ks:{r}:TANI12:0")
    assert payloads(supplier)[-1] == f"k:{r}:1"  # back to the page that lists Tani 12


FORGED = (
    "ks:{r}:SBMART:0",  # a supplier of examples/ that offers nothing in this round
    "ks:{r}:NOBODY:0",
    "ks:{r}:TANI03:12",  # past its last page
    "ks:{r}:TANI03:-1",
    "ks:{r}:TANI03",
    "ks:{r}:TANI03:0:9",
    "ks:424242:TANI03:0",  # no such round
    "k:{r}:2",  # past the last page of suppliers
)


async def test_a_forged_supplier_button_is_refused_as_a_stale_button(
    chat_treasurer: ChatUser, big_round: Round
) -> None:
    for payload in FORGED:
        replies = await chat_treasurer.press(payload.format(r=big_round.id))

        assert [reply.template for reply in replies] == ["errors/stale_button"], payload


async def test_a_supplier_button_of_a_closed_round_is_refused_politely(
    chat_services: Services, chat_treasurer: ChatUser, big_round: Round, chat_clock: Clock
) -> None:
    chat_clock.advance(timedelta(days=3))
    await steps.close_round(chat_services.db, big_round.id, chat_clock())

    replies = await chat_treasurer.press(f"ks:{big_round.id}:TANI03:0")

    assert [reply.template for reply in replies] == ["errors/round_over"]


async def test_a_round_that_fits_four_pages_is_still_paged_through_directly(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/katalog")

    assert [reply.template for reply in replies] == ["catalog_page"]
    assert not any(payload.startswith("ks:") for payload in payloads(replies))
    forged = await chat_treasurer.press(f"ks:{chat_round.id}:BULOG:0")
    assert [reply.template for reply in forged] == ["errors/stale_button"]
