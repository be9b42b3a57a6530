"""Retiring coops and products: left out of new rounds and closes, kept by past rounds.

User stories on the real SQLite file: the Dinas retires last month's products and a coop
that left the JUK; an import restores; a file of every earlier schema can retire too.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from bot.exports import load_round_export
from messages.outbox_codec import decode_reply
from purchasing.errors import CoopRetired, ProductRetired, UnknownCoop, UnknownProduct
from purchasing.model import Rep, Round
from storage import rounds
from storage.catalog.reads import list_coops, list_products
from storage.catalog.retirement import (
    restore_coops,
    restore_products,
    retire_coops,
    retire_products,
    retired_coops,
    retired_products,
)
from storage.database import Database, open_database
from storage.delivery import outbox
from storage.migrator import latest_version
from storage.people import invites, reps
from storage.round_parties import coops_at_close
from tests.support.builders import NOW, make_product
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, quantities
from tests.support.storage_builders import (
    COOPS,
    file_at_version,
    place_order,
    seed_catalog,
    seed_open_round,
)
from tests.support.use_case_steps import import_catalog, set_commitment
from tests.support.workbooks import workbook_cells
from usecases.sweeps import send_due_reminders

LAST_MONTH = ("GLP-50", "MKITA-1L")
NEXT_DEADLINE = "2026-12-20 17:00"


async def _order(user: ChatUser, round_: Round, coop: str, code: str, quantity: int) -> None:
    await set_commitment(
        user.services.db, round_id=round_.id, coop_code=coop, product_code=code,
        quantity=quantity, actor=user.actor, via=user.actor, now=user.services.now(),
    )  # fmt: skip


async def test_dinas_retires_last_months_products_and_the_next_round_offers_only_current_ones(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    db = chat_admin.services.db
    await _order(chat_admin, chat_round, "DT", "GLP-50", 12)
    await _order(chat_admin, chat_round, "KKPITB", "MKITA-1L", 5)
    closed = await steps.close_round(db, chat_round.id, chat_clock(), force=True)
    before = workbook_cells(
        (await load_round_export(db, chat_round.id)).workbook(tmp_path / "before")
    )

    done = await retire_products(db, LAST_MONTH, chat_clock())
    typed = await chat_admin.send(f"/putaran baru Januari | {NEXT_DEADLINE} | IDM-GRG, glp-50")
    refused_text = chat_admin.last_text
    default = await chat_admin.send(f"/putaran baru Januari | {NEXT_DEADLINE}")

    assert done.switched == LAST_MONTH and done.already == ()
    assert [reply.template for reply in typed] == ["errors/product_retired"]
    assert "belanja-bareng products restore GLP-50" in refused_text
    assert [reply.template for reply in default] == ["admin_round_opened"]
    [january, old] = await rounds.list_rounds(db)
    assert old.id == chat_round.id and january.name == "Januari"
    offered = [item.product_code for item in january.items]
    assert len(offered) == 23 and not set(LAST_MONTH) & set(offered)
    assert await steps.load_outcome(db, chat_round.id) == closed
    after = workbook_cells(
        (await load_round_export(db, chat_round.id)).workbook(tmp_path / "after")
    )
    assert after == before
    assert len(await list_products(db)) == 25


async def test_a_coop_that_left_the_juk_is_retired_and_the_next_close_leaves_it_out(
    chat_admin: ChatUser,
    admin_reps: list[ChatUser],
    chat_stranger: ChatUser,
    chat_round: Round,
    chat_clock: Clock,
) -> None:
    db = chat_admin.services.db
    bu_ani, _, bu_euis = admin_reps
    created = await chat_admin.send("/undang KOPERTIS4 3")
    old_invite = str(created[0].context["code"])

    await retire_coops(db, ["KOPERTIS4"], chat_clock())
    await bu_ani.send("/pesan GLP-50 12")
    euis_orders = await bu_euis.send("/pesan GLP-50 3")
    euis_text = bu_euis.last_text
    recap = await chat_admin.send("/rekap")
    recap_text = chat_admin.last_text
    invite = await chat_admin.send("/undang kopertis4")
    joined = await chat_stranger.send(f"/start {old_invite}")
    outcome = await steps.close_round(db, chat_round.id, chat_clock(), force=True)

    assert [reply.template for reply in euis_orders] == ["errors/coop_retired"]
    assert "KOPERTIS4 sudah dinonaktifkan dari JUK" in euis_text
    assert await quantities(db, chat_round.id) == {("DT", "GLP-50"): 12}
    assert [reply.template for reply in recap] == ["admin_recap"]
    assert "Sudah memesan: 1 dari 19 koperasi" in recap_text  # KOPERTIS4 is not counted
    assert "Belum memesan (18)" in recap_text and "Kopertis" not in recap_text
    assert [reply.template for reply in invite] == ["errors/coop_retired"]
    assert [reply.template for reply in joined] == ["errors/coop_retired"]
    assert [rep.user_id for rep in await reps.reps_for_coop(db, "KOPERTIS4")] == ["5103"]
    assert outcome is not None and outcome.overview.coops_invited == 19
    assert "KOPERTIS4" not in [coop.code for coop in await coops_at_close(db, chat_round.id)]


async def test_the_rep_of_a_retired_coop_hears_no_announcements_or_reminders(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    bu_ani, _, bu_euis = admin_reps
    await reps.add_rep(db, Rep("telegram", bu_ani.user_id, "KOPERTIS4"), chat_clock())
    await retire_coops(db, ["KOPERTIS4"], chat_clock())  # Bu Euis's only coop; one of Bu Ani's

    await chat_admin.send("/putaran baru Januari | 2026-12-05 17:00")
    [opened] = await rounds.list_rounds(db)
    reminded = await send_due_reminders(chat_admin.services, opened.closes_at - timedelta(hours=3))

    due = await outbox.due_messages(db, opened.closes_at)
    announced = sorted(m.chat_id for m in due if m.kind == "round_opened")
    reminders = [decode_reply(m.payload) for m in due if m.kind == "reminder"]
    assert announced == sorted([bu_ani.user_id, "5102"])  # not Bu Euis (5103)
    assert reminded == 2 and bu_euis.user_id not in {m.chat_id for m in due}
    assert len(reminders) == 2
    assert all("KOPERTIS4" not in str(reply.context) for reply in reminders)


async def test_a_coop_retired_after_it_ordered_keeps_its_order_and_gets_its_bill(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await _order(chat_admin, chat_round, "KKPITB", "GLP-50", 7)

    await retire_coops(db, ["KKPITB"], chat_clock())
    with pytest.raises(CoopRetired):
        await _order(chat_admin, chat_round, "KKPITB", "GLP-50", 0)
    await chat_admin.send("/rekap")
    recap_text = chat_admin.last_text
    outcome = await steps.close_round(db, chat_round.id, chat_clock(), force=True)

    assert "Sudah memesan: 1 dari 20 koperasi" in recap_text and "Belum memesan (19)" in recap_text
    assert outcome is not None and outcome.overview.coops_invited == 20
    assert [(b.coop_code, b.coop_name) for b in outcome.bills] == [
        ("KKPITB", "Koperasi Keluarga Pegawai (KKP) ITB")
    ]


async def test_a_coop_retired_after_a_close_stays_in_that_rounds_outcome(db: Database) -> None:
    round_ = await seed_open_round(db)
    await place_order(db, round_, "KOP03", "GLP1", 30)
    closed = await steps.close_round(db, round_.id, NOW + timedelta(days=2))

    await retire_coops(db, ["KOP03", "KOP04"], NOW + timedelta(days=3))

    assert closed is not None and await steps.load_outcome(db, round_.id) == closed
    assert await coops_at_close(db, round_.id) == list(COOPS)
    assert [entry.code for entry in await retired_coops(db)] == ["KOP03", "KOP04"]
    assert len(await list_coops(db, include_retired=False)) == 3
    assert len(await list_coops(db)) == 5


async def test_importing_a_retired_product_or_coop_again_restores_it(db: Database) -> None:
    await seed_catalog(db)
    await retire_products(db, ["GLP1", "MIE1"], NOW)
    await retire_coops(db, ["KOP02"], NOW)

    await import_catalog(
        db, [COOPS[1]], products=[make_product("GLP1", price_tiers=((1, 740_000),))]
    )

    assert [entry.code for entry in await retired_products(db)] == ["MIE1"]
    assert await retired_coops(db) == []
    current = {p.code: p for p in await list_products(db, include_retired=False)}
    assert sorted(current) == ["BRS5", "GLP1"] and current["GLP1"].tiers[0].unit_price == 740_000
    draft = await steps.create_round(db, "April", NOW, NOW + timedelta(days=2), ["GLP1"], now=NOW)
    assert [item.product_code for item in draft.items] == ["GLP1"]


async def test_an_unknown_code_retires_or_restores_nothing(db: Database) -> None:
    await seed_catalog(db)

    with pytest.raises(UnknownProduct) as unknown_product:
        await retire_products(db, ["GLP1", "TIDAKADA"], NOW)
    with pytest.raises(UnknownCoop) as unknown_coop:
        await retire_coops(db, ["KOP01", "KOP99"], NOW)
    await retire_products(db, ["MIE1"], NOW)
    with pytest.raises(UnknownProduct):
        await restore_products(db, ["MIE1", "TIDAKADA"])

    assert unknown_product.value.params == {"product_code": "TIDAKADA"}
    assert unknown_coop.value.params == {"coop_code": "KOP99"}
    assert [entry.code for entry in await retired_products(db)] == ["MIE1"]
    assert await retired_coops(db) == []


async def test_retiring_twice_keeps_the_first_time_and_restoring_a_current_one_is_harmless(
    db: Database,
) -> None:
    await seed_catalog(db)
    first = await retire_coops(db, ["KOP01"], NOW)

    again = await retire_coops(db, ["KOP01", "KOP02", "KOP01"], NOW + timedelta(days=1))
    restored = await restore_coops(db, ["KOP02", "KOP03"])

    assert (first.switched, again.switched, again.already) == (("KOP01",), ("KOP02",), ("KOP01",))
    assert (restored.switched, restored.already) == (("KOP02",), ("KOP03",))
    [kop01] = await retired_coops(db)
    assert (kop01.code, kop01.retired_at) == ("KOP01", NOW)


async def test_a_draft_with_a_product_retired_since_does_not_open(db: Database) -> None:
    await seed_catalog(db)
    draft = await steps.create_round(
        db, "Mei", NOW, NOW + timedelta(days=2), ["GLP1", "MIE1"], now=NOW
    )
    await retire_products(db, ["MIE1"], NOW)

    with pytest.raises(ProductRetired) as refused:
        await steps.open_round(db, draft.id, NOW)

    assert refused.value.params == {"product_code": "MIE1", "name": "Mi instan goreng"}
    assert (await rounds.list_rounds(db))[0].status == "draft"


async def test_an_invite_for_a_retired_coop_is_not_made(db: Database) -> None:
    await seed_catalog(db)
    await retire_coops(db, ["KOP01"], NOW)

    with pytest.raises(CoopRetired):
        await steps.create_invite(db, "KOP01", "telegram:9001", NOW)

    assert await invites.list_invites(db) == []


@pytest.mark.parametrize("version", range(1, latest_version()))
async def test_a_file_from_each_earlier_version_migrates_and_can_retire(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / f"v{version}.db"
    await file_at_version(path, version)

    async with open_database(path) as db:
        current = [p.code for p in await list_products(db, include_retired=False)]
        nothing_retired = (await retired_products(db), await retired_coops(db))
        await retire_products(db, ["GLP1"], NOW)
        await retire_coops(db, ["KOP01"], NOW)
        with pytest.raises(CoopRetired):
            await set_commitment(
                db, round_id=7, coop_code="KOP01", product_code="GLP1", quantity=1,
                actor="telegram:1001", via="telegram", now=NOW,
            )  # fmt: skip
        left = await list_products(db, include_retired=False)

    assert current == ["GLP1"] and nothing_retired == ([], [])
    assert left == []
