"""Every page exists in Indonesian and English and renders with what the use cases give it:
an admin who reads English gets every page in English, in the same shape."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

import bot.dashboard
import tests.support.use_case_steps as steps
from bot.dashboard.app import COOKIE
from messages.formatting import LANGUAGES
from purchasing.model import Round
from storage.people import preferences
from tests.bot.dashboard.conftest import Dash
from usecases import dashboard

TEMPLATES = Path(bot.dashboard.__file__).parent / "templates"
PAGES = ["/", "/putaran", "/putaran/1", "/putaran/1/tagihan", "/laporan/hemat", "/laporan/koperasi"]
PAGES += ["/laporan/harga", "/laporan/pemasok", "/laporan/pembayaran"]


def test_every_page_template_exists_in_every_language() -> None:
    names = {lang: sorted(p.name for p in (TEMPLATES / lang).glob("*.html")) for lang in LANGUAGES}

    assert names["id"] == names["en"] and len(names["id"]) >= 12


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_page_answers_in_the_admins_language(
    dash: Dash, chat_round: Round, language: str
) -> None:
    await steps.set_commitment(
        dash.services.db, round_id=chat_round.id, coop_code="DT", product_code="GLP-50",
        quantity=12, actor="telegram:5001", via="telegram:5001", now=dash.clock(),
    )  # fmt: skip
    await preferences.set_language(dash.services.db, "telegram", "9001", language)
    link = await dashboard.make_link(dash.services, "telegram", "9001")
    session = await dashboard.sign_in(dash.services, link.token)
    assert session is not None
    bodies: dict[str, str] = {}

    async with aiohttp.ClientSession(cookies={COOKIE: session.token}) as http:
        for closed in (False, True):
            if closed:
                await steps.close_round(dash.services.db, chat_round.id, dash.clock(), force=True)
            for path in PAGES:
                async with http.get(f"{dash.url}{path}") as response:
                    assert response.status == 200, path
                    bodies[f"{path} {closed}"] = await response.text()

    early = {"id": "lebih awal dari batas waktu", "en": "before its deadline"}[language]
    assert early not in bodies["/putaran/1 False"] and early in bodies["/putaran/1 True"]
    for body in bodies.values():
        assert f'<html lang="{language}">' in body
        assert ("Keluar (Mbak Rina)" in body) is (language == "id")
        assert ("Sign out (Mbak Rina)" in body) is (language == "en")


async def test_page_headings_name_the_round_as_the_chat_does_escaped_once(
    dash: Dash, chat_round: Round
) -> None:
    later = dash.clock() + timedelta(days=5)
    draft = await steps.create_round(
        dash.services.db, "Beras & Gula <Januari>", later, later + timedelta(days=3),
        ["GLP-50"], now=dash.clock(),
    )  # fmt: skip
    link = await dashboard.make_link(dash.services, "telegram", "9001")
    session = await dashboard.sign_in(dash.services, link.token)
    assert session is not None

    async with aiohttp.ClientSession(cookies={COOKIE: session.token}) as http:
        async with http.get(f"{dash.url}/putaran/{draft.id}") as response:
            draft_page = await response.text()
        async with http.get(f"{dash.url}/putaran/{chat_round.id}/tagihan") as response:
            bills_page = await response.text()

    title = f"Putaran Beras &amp; Gula &lt;Januari&gt; (#{draft.id})"
    assert f"<title>{title} — Belanja Bareng</title>" in draft_page
    assert f"<h1>{title} <span" in draft_page
    assert "&amp;amp;" not in draft_page and "&amp;lt;" not in draft_page
    heading = f"<h1>Tagihan dan pembayaran, Putaran Belanja Bareng Desember (#{chat_round.id})</h1>"
    assert heading in bills_page
