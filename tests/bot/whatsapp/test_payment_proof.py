"""A treasurer sends the picture of a transfer on WhatsApp: fetched from the fake Graph API's
media URL, kept as proof, shown to the admin; the admin presses Lunas and the treasurer is
told the bill is paid."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from bot.config import Config
from handlers.contract.services import Services
from purchasing.model import Rep, Round
from storage import payments
from storage.database import open_database
from storage.people import reps
from tests.support.builders import NOW
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.storage_builders import seed_open_round

RINA = FakeUser("6281234500009", "Mbak Rina")
SITI = FakeUser("6281234500001", "Bu Siti")
PICTURE = b"\xff\xd8\xff\xe0 a picture of a transfer"


@pytest.fixture
async def billed(tmp_path: Path) -> AsyncIterator[tuple[Services, Round]]:
    """A closed round in which Siti's coop KOP01 owes for 3 GLP1; Rina is an admin."""
    clock = Clock(NOW)
    async with open_database(tmp_path / "dinas.sqlite3") as db:
        round_ = await seed_open_round(db, now=NOW)
        await reps.add_admin(db, "whatsapp", RINA.wa_id or "", "Rina", "config", NOW)
        await reps.add_rep(db, Rep("whatsapp", SITI.wa_id or "", "KOP01"), NOW)
        await steps.set_commitment(
            db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=3,
            actor=f"whatsapp:{SITI.wa_id}", via="whatsapp", now=NOW,
        )  # fmt: skip
        clock.advance(timedelta(days=3))
        await steps.close_round(db, round_.id, clock())
        yield Services(db=db, now=clock, default_language="id"), round_


async def test_a_picture_of_the_transfer_is_shown_to_the_admin_who_marks_the_bill_paid(
    wa_config: Config, billed: tuple[Services, Round], fake_graph: FakeGraph
) -> None:
    services, round_ = billed
    [bill] = await payments.bills_due(services.db, round_.id)
    media = fake_graph.media.add(PICTURE, "image/jpeg")

    async with whatsapp_running(wa_config, services, fake_graph) as bot:
        await bot.send(RINA.text("/pembayaran"))  # Rina wrote today: her chat window is open
        await bot.drain()  # the bills of the close
        await bot.send(SITI.image(media))
        received = fake_graph.messages_to(SITI.wa_id or "")[-1]
        await bot.drain()
        shown = fake_graph.messages_to(RINA.wa_id or "")[1:]
        [lunas] = [i for m in shown for t, i in m.choices.items() if t.startswith("✅ Lunas")]
        await bot.send(RINA.press(lunas))
        await bot.drain()
        told = fake_graph.messages_to(SITI.wa_id or "")[-1]

    assert "Bukti transfer diterima" in received.text and bill.number in received.text
    assert fake_graph.media.downloads == [media.id]
    assert any(m.type == "document" for m in shown)  # the picture itself, for the admin to see
    assert "Pembayaran diterima" in told.text
    [after] = await payments.bills_due(services.db, round_.id)
    assert after.paid == bill.total and after.balance == 0
