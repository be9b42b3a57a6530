"""At 100 coops, `/rekap` still fits a phone screen or two; the full lists are a button away."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from messages import Renderer
from purchasing.model import Rep, Round
from storage.people import reps
from tests.support.builders import NOW, make_coop, make_product
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, payloads
from tests.support.storage_builders import database_at, seed_catalog

PHONE_SIZED = 1_500  # characters: about two screens of a small phone
COOPS = tuple(
    make_coop(f"KOP{n:03d}", f"Koperasi Serba Usaha Warga Sejahtera {n}", contact=f"0812-{n:04d}")
    for n in range(1, 101)
)
# Eight products far below their minimum order, one near its next price, one over its supply.
PRODUCTS = (
    *(
        make_product(f"MYK{n}", name=f"Minyak goreng kemasan pouch 2 liter varian {n}", moq=500)
        for n in range(1, 9)
    ),
    make_product("MIE1", name="Mi instan goreng", unit="karton",
                 price_tiers=((1, 110_000), (100, 104_000))),
    make_product("BRS5", name="Beras medium 5 kg", moq=20, supply_cap=30),
)  # fmt: skip
ORDERING = COOPS[:85]
WAITING = COOPS[85:]


@pytest.fixture
async def big_round(tmp_path: Path) -> AsyncIterator[tuple[ChatUser, Round]]:
    """100 coops, 85 of which ordered one of each product; three waiting coops have a
    treasurer on the bot; Mbak Rina is the admin."""
    async with database_at(tmp_path) as db:
        await seed_catalog(db, coops=COOPS, products=PRODUCTS)
        codes = [product.code for product in PRODUCTS]
        draft = await steps.create_round(
            db, "Belanja Bareng Besar", NOW, NOW + timedelta(days=2), codes, now=NOW
        )
        round_ = await steps.open_round(db, draft.id, NOW)
        for coop in ORDERING:
            await steps.set_commitments(
                db, round_id=round_.id, coop_code=coop.code, quantities=[(c, 1) for c in codes],
                actor="telegram:1", via="telegram:1", now=NOW,
            )  # fmt: skip
        for n, coop in enumerate(WAITING[:3]):
            await reps.add_rep(db, Rep("telegram", f"70{n}", coop.code, display_name="Bu Ani"), NOW)
        await reps.add_admin(db, "telegram", "9001", "Mbak Rina", "config", NOW)
        services = Services(db=db, now=Clock(NOW), default_language="id")
        yield ChatUser(services, Renderer(), "9001", "Mbak Rina"), round_


async def test_recap_of_100_coops_fits_a_phone_with_the_headline_first(
    big_round: tuple[ChatUser, Round],
) -> None:
    admin, round_ = big_round

    replies = await admin.send("/rekap")

    text = admin.last_text
    assert len(text) <= PHONE_SIZED, len(text)
    headline = text.split("\n")[:5]
    assert "Sudah memesan: 85 dari 100 koperasi" in headline
    assert any(line.startswith("Nilai pesanan: Rp ") for line in headline)
    assert any(line.startswith("Hemat: Rp ") for line in headline)
    assert "dan 5 produk lain di bawah minimal pesanan" in text
    assert "• Mi instan goreng: 15 karton lagi, harga turun ke Rp 104.000" in text
    assert "• Beras medium 5 kg: dipesan 85 karung, pasokan hanya 30" in text
    assert "Belum memesan (15)" in text and "dan 10 koperasi lainnya" in text
    assert f"arw:{round_.id}" in payloads(replies)


async def test_the_full_list_button_shows_every_coop_that_has_not_ordered(
    big_round: tuple[ChatUser, Round],
) -> None:
    admin, round_ = big_round
    await admin.send("/rekap")

    await admin.press(f"arw:{round_.id}")

    text = admin.last_text
    assert all(f"{coop.name} ({coop.code})" in text for coop in WAITING)
    assert not any(f"({coop.code})" in text for coop in ORDERING)
    assert text.count("Bu Ani") == 3 and text.count("belum ada bendahara di bot") == 12
