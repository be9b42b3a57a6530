"""A treasurer looks a product up with `/cari KATA` instead of paging through the catalog."""

from __future__ import annotations

from handlers.contract.events import ChatKind
from messages import Renderer
from messages.replies import Reply
from purchasing.model import Round
from tests.support.fixtures.chat import ChatUser, payloads


def labels(renderer: Renderer, replies: list[Reply]) -> list[str]:
    return [
        renderer.render_label(option.label, reply.language, option.label_context)
        for reply in replies
        for option in reply.flat_options
    ]


async def test_a_word_finds_the_products_that_have_it_in_their_name_as_buttons(
    chat_treasurer: ChatUser, chat_round: Round, chat_renderer: Renderer
) -> None:
    replies = await chat_treasurer.send("/cari Kecap")

    assert [reply.template for reply in replies] == ["catalog_search"]
    assert payloads(replies) == [f"p:{chat_round.id}:IDF-KCP", f"p:{chat_round.id}:BNG-KCP"]
    assert labels(chat_renderer, replies) == [
        "IDF-KCP · Kecap manis Indofood 520 ml",
        "BNG-KCP · Kecap manis Bango 550 ml",
    ]
    text = chat_treasurer.last_text
    assert 'Hasil pencarian "Kecap"' in text
    assert "BNG-KCP Kecap manis Bango 550 ml: Rp 284.000/dus" in text
    assert "lain yang cocok" not in text


async def test_every_word_must_match_the_code_or_the_name(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    r = chat_round.id

    assert payloads(await chat_treasurer.send("/cari beras 50")) == [
        f"p:{r}:BRS-SPHP50", f"p:{r}:BRS-PRM50"
    ]  # fmt: skip
    assert payloads(await chat_treasurer.send("/cari  BERAS   premium ")) == [f"p:{r}:BRS-PRM50"]
    assert payloads(await chat_treasurer.send("/search minyak goreng")) == [
        f"p:{r}:MKITA-1L", f"p:{r}:BMOLI-2L"
    ]  # fmt: skip
    assert payloads(await chat_treasurer.send("/cari glp-1")) == [f"p:{r}:GLP-1"]


async def test_a_product_whose_code_is_the_word_comes_first(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/cari idm-grg")

    assert payloads(replies) == [f"p:{chat_round.id}:IDM-GRG"]


async def test_too_many_matches_show_one_page_and_ask_for_more_words(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/cari g")

    assert len(payloads(replies)) == 8
    assert "produk lain yang cocok. Ketik kata yang lebih banyak" in chat_treasurer.last_text


async def test_nothing_found_says_what_to_type_instead(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/cari kecap asin")

    assert [reply.template for reply in replies] == ["catalog_search_none"]
    assert payloads(replies) == []
    text = chat_treasurer.last_text
    assert 'Tidak ada produk dengan kata "kecap asin" di Putaran Belanja Bareng Desember.' in text
    assert "kata yang lebih pendek" in text and "/katalog" in text

    await chat_treasurer.send("/cari")

    assert "Ketik kata yang dicari setelah /cari" in chat_treasurer.last_text


async def test_search_in_english_for_an_english_phone(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    chat_treasurer.language_hint = "en-GB"

    await chat_treasurer.send("/search sabun")
    assert 'Search results for "sabun"' in chat_treasurer.last_text

    await chat_treasurer.send("/search durian")
    assert 'No product matches "durian"' in chat_treasurer.last_text


async def test_no_open_round_gets_the_usual_answer(chat_treasurer: ChatUser) -> None:
    replies = await chat_treasurer.send("/cari beras")

    assert [reply.template for reply in replies] == ["catalog_no_round"]


async def test_in_a_group_the_search_points_to_the_private_chat(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    chat_treasurer.chat_kind = ChatKind.GROUP

    replies = await chat_treasurer.send("/cari beras")

    assert [reply.template for reply in replies] == ["group_use_private_chat"]
