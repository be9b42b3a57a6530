"""The fake_graph Graph API refuses what Meta refuses, so the bot's own limits are really tested."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pywa.types.callback import Button, Section, SectionList, SectionRow
from pywa_async.client import WhatsApp
from pywa_async.errors import InvalidParameter, TemplateNotExists, WhatsAppError
from pywa_async.types.templates import TemplateLanguage

from tests.support.fake_graph import ACCESS_TOKEN, PHONE_NUMBER_ID, FakeGraph

TO = "6281234500001"


@pytest.fixture
async def client(fake_graph: FakeGraph) -> AsyncIterator[WhatsApp]:
    session = fake_graph.session()
    yield WhatsApp(phone_id=PHONE_NUMBER_ID, token=ACCESS_TOKEN, session=session)
    await session.aclose()


def rows(count: int) -> SectionList:
    return SectionList(
        "Pilihan", [Section("Pilihan", [SectionRow(f"Baris {i}", f"r{i}") for i in range(count)])]
    )


async def test_three_reply_buttons_are_sent_and_recorded(
    client: WhatsApp, fake_graph: FakeGraph
) -> None:
    buttons = [Button("Satu", "a"), Button("Dua", "b"), Button("Tiga", "c")]

    await client.send_message(TO, "Pilih:", buttons=buttons)

    assert fake_graph.messages_to(TO)[0].choices == {"Satu": "a", "Dua": "b", "Tiga": "c"}


async def test_four_reply_buttons_are_refused_like_meta_does(
    client: WhatsApp, fake_graph: FakeGraph
) -> None:
    buttons = [Button(f"Tombol {i}", f"b{i}") for i in range(4)]

    with pytest.raises(InvalidParameter) as refused:
        await client.send_message(TO, "Pilih:", buttons=buttons)

    assert refused.value.code == 131009 and fake_graph.sent == []


async def test_an_eleven_row_list_is_refused_and_a_ten_row_list_is_not(
    client: WhatsApp, fake_graph: FakeGraph
) -> None:
    with pytest.raises(InvalidParameter):
        await client.send_message(TO, "Pilih:", buttons=rows(11))
    await client.send_message(TO, "Pilih:", buttons=rows(10))

    assert [message.interactive_type for message in fake_graph.sent] == ["list"]


@pytest.mark.parametrize(
    "choices",
    [
        [Button("Dua puluh satu huruf!", "a")],
        SectionList("Pilihan", [Section("S", [SectionRow("x" * 25, "r")])]),
        SectionList("Dua puluh satu huruf!", [Section("S", [SectionRow("ok", "r")])]),
        SectionList("Pilihan", [Section("S", [SectionRow("ok", "r", "d" * 73)])]),
    ],
    ids=["button title 21", "row title 25", "list button 21", "description 73"],
)
async def test_over_long_titles_are_refused(
    client: WhatsApp, fake_graph: FakeGraph, choices: list[Button] | SectionList
) -> None:
    with pytest.raises(InvalidParameter):
        await client.send_message(TO, "Pilih:", buttons=choices)

    assert fake_graph.sent == [] and len(fake_graph.refused) == 1


async def test_two_buttons_with_the_same_title_are_refused(client: WhatsApp) -> None:
    with pytest.raises(InvalidParameter):
        await client.send_message(TO, "Pilih:", buttons=[Button("Sama", "a"), Button("Sama", "b")])


async def test_an_interactive_body_over_1024_characters_is_refused(client: WhatsApp) -> None:
    with pytest.raises(InvalidParameter):
        await client.send_message(TO, "x" * 1025, buttons=[Button("Ya", "a")])


async def test_a_template_that_was_never_approved_is_refused(client: WhatsApp) -> None:
    with pytest.raises(TemplateNotExists):
        await client.send_template(TO, "promo_lebaran", TemplateLanguage.INDONESIAN, params=[])


async def test_a_wrong_access_token_is_refused(fake_graph: FakeGraph) -> None:
    session = fake_graph.session()
    client = WhatsApp(phone_id=PHONE_NUMBER_ID, token="EAAG-wrong", session=session)

    with pytest.raises(WhatsAppError) as refused:
        await client.send_message(TO, "Halo")
    await session.aclose()

    assert refused.value.code == 190
