"""Bu Ani's last look at her order says what the bill will be: a product that misses its MOQ
costs nothing, an over-subscribed one is billed for her share, and the close agrees."""

from __future__ import annotations

from typing import cast

import pytest

from purchasing.model import Round
from storage.database import Database
from tests.support.builders import make_product
from tests.support.clock import Clock
from tests.support.fixtures.after_close import order_then_close
from tests.support.fixtures.chat import ChatUser, open_example_round
from tests.support.use_case_steps import import_catalog

# A small lot of 5 kg rice: 150 sacks in all, the 100-sack price from the first sack.
SMALL_RICE = make_product(
    "BRS-SPHP5", name="Beras SPHP 5 kg", supplier_code="BULOG", unit="karung",
    market_price=70_000, price_tiers=((1, 64_000), (100, 62_000)), supply_cap=150,
)  # fmt: skip


@pytest.fixture
async def rice_round(chat_db: Database, chat_clock: Clock) -> Round:
    """Noodles (no MOQ), premium rice (MOQ 10 sacks) and the small lot of 5 kg rice."""
    await import_catalog(chat_db, products=[SMALL_RICE])
    return await open_example_round(chat_db, chat_clock(), ["IDM-GRG", "BRS-PRM50", "BRS-SPHP5"])


async def test_the_bill_at_close_is_what_the_last_estimate_said(
    admin_reps: list[ChatUser], rice_round: Round, chat_clock: Clock
) -> None:
    ani, dedi, _ = admin_reps  # DT, and KKPITB who reads English
    await ani.send("IDM-GRG 40\nBRS-PRM50 6\nBRS-SPHP5 150")
    # The whole lot is hers so far: only the premium rice is at risk.
    assert "Pesanan Kopontren Daarut Tauhid sekarang 3 produk, dengan harga yang" in ani.last_text
    assert "Pasti: Rp 14.060.000 · Belum pasti: Rp 4.410.000" in ani.last_text
    await dedi.send("BRS-SPHP5 25")  # 175 sacks asked of 150
    assert "The order of Koperasi Keluarga Pegawai (KKP) ITB now has 1 product" in dedi.last_text

    await ani.send("/pesanan")

    # Noodles: 40 cartons at the 30-carton price, sure. Premium rice: 6 of the 10 sacks the
    # round needs, at Rp 735.000. 5 kg rice: 150 × 150 / 175 = 128 rest 100 for DT,
    # 25 × 150 / 175 = 21 rest 75 for KKPITB; the one sack left goes to DT: 129 at Rp 62.000.
    estimate = ani.last_text
    assert "Pasti: Rp 4.760.000 · Belum pasti: Rp 13.710.000" in estimate  # 40 × 119.000
    assert "pesanan semua koperasi masih kurang 4 karung" in estimate  # 6 × 735.000 at risk
    assert "produk ini tidak jadi dipesan dan tidak ditagih" in estimate
    assert (
        "semua koperasi memesan 175 karung, pasokan hanya 150 karung, jadi dibagi sebanding "
        "dengan besar pesanan. Dengan total saat ini Anda mendapat 129 dari 150 karung "
        "(Rp 7.998.000)."
    ) in estimate
    assert "tagihan Anda: Rp 12.758.000." in estimate  # 4.760.000 + 129 × 62.000
    await dedi.send("/myorder")
    assert "At today's totals you get 21 of your 25 karung (Rp 1.302.000)" in dedi.last_text

    await order_then_close(admin_reps, [], rice_round, chat_clock)
    bill = await ani.send("/pesanan")

    assert [reply.template for reply in bill][-1] == "summary_bill"
    assert cast(int, bill[-1].context["total"]) == 12_758_000
    assert "Rp 12.758.000" in ani.last_text


async def test_an_order_emptied_line_by_line_says_so_instead_of_a_zero_estimate(
    chat_treasurer: ChatUser, rice_round: Round
) -> None:
    await chat_treasurer.send("IDM-GRG 5")
    assert "Perkiraan total: Rp 610.000, semuanya pasti" in chat_treasurer.last_text  # 5 × 122.000

    await chat_treasurer.send("IDM-GRG 0")

    text = chat_treasurer.last_text
    empty = "Pesanan Kopontren Daarut Tauhid di putaran ini sekarang kosong, tidak ada yang akan"
    assert f"{empty} ditagih." in text
    assert "Rp 0" not in text and "0 produk" not in text
